// How a decision reads for people: its state, each approver's standing with the signature or
// attestation behind it, who is still needed, and whether it waits for this profile's person.
// Pure functions over what the backend reported; the quorum itself is computed there.
import type {
  ApproverStanding,
  Attestation,
  DecisionStatus,
  QuorumState,
  SignatureInfo,
  Standing,
} from '../api';
import { duration } from '../kit/time';

const STATE_LABELS: Record<QuorumState, string> = {
  pending: 'Pending',
  approved: 'Approved',
  rejected: 'Rejected',
  expired: 'Expired',
  closed: 'Closed unapproved',
};

export function stateLabel(state: QuorumState): string {
  return STATE_LABELS[state];
}

/** One approver of the policy, with what they gave: a signature, an attested approval, or nothing. */
export type ApproverLine = ApproverStanding & {
  signature: SignatureInfo | undefined;
  attestation: Attestation | undefined;
};

export function approverLines(status: DecisionStatus): ApproverLine[] {
  return status.quorum.approvers.map((approver) => ({
    ...approver,
    signature: status.signatures.find((s) => s.contact === approver.contact),
    attestation: status.attestations.find((a) => a.approver === approver.contact),
  }));
}

const STANDING_LABELS: Record<Standing, string> = {
  waiting: 'Waiting',
  signed: 'Signed approval',
  rejected: 'Signed rejection',
  attested: 'UNSIGNED — attested',
  attestedNotCounted: 'UNSIGNED — attested, not counted',
};

export function standingLabel(standing: Standing): string {
  return STANDING_LABELS[standing];
}

/**
 * Who is still needed, for people: "Ada Example, Ben Sample" for the required approvers still
 * missing, then "1 more of: Chloe Demo, Dan Ex" from the additional pool; empty when nobody is.
 */
export function stillNeeded(status: DecisionStatus): string[] {
  const { quorum } = status;
  if (quorum.state !== 'pending') {
    return [];
  }
  const name = (id: string) => quorum.approvers.find((a) => a.contact === id)?.name ?? id;
  const parts = quorum.waitingFor.map(name);
  if (quorum.additionalMissing > 0) {
    const pool = quorum.approvers
      .filter((a) => !a.required && a.standing === 'waiting')
      .map((a) => a.name);
    parts.push(`${quorum.additionalMissing} more of: ${pool.join(', ') || 'nobody left to ask'}`);
  }
  return parts;
}

/**
 * Whether a decision waits for `contact`: it is pending, not yet expired, and they are a
 * required approver who has not answered, or in the additional pool while more are needed.
 * `signedHere` holds the decisions signed on this computer whose request came from another one
 * (their signatures are counted where they were requested, not here).
 */
export function waitsFor(
  status: DecisionStatus,
  contact: string | null | undefined,
  now: number,
  signedHere: ReadonlySet<string> = new Set(),
): boolean {
  if (contact === null || contact === undefined || status.quorum.state !== 'pending') {
    return false;
  }
  if (signedHere.has(status.request.id) || Date.parse(status.request.expires) <= now) {
    return false;
  }
  const me = status.quorum.approvers.find((a) => a.contact === contact);
  if (me === undefined || me.standing !== 'waiting') {
    return false;
  }
  return me.required || status.quorum.additionalMissing > 0;
}

/** The newest decision requested here on `incident` under `policy`. */
export function latestFor(
  statuses: readonly DecisionStatus[],
  incident: string,
  policy: string,
): DecisionStatus | undefined {
  let latest: DecisionStatus | undefined;
  for (const status of statuses) {
    const { request } = status;
    if (!request.local || request.incident !== incident || request.policy !== policy) {
      continue;
    }
    if (latest === undefined || Date.parse(request.created) > Date.parse(latest.request.created)) {
      latest = status;
    }
  }
  return latest;
}

/** "expires in 3 h 12 min", "expired 5 min ago". */
export function expiryText(expires: string, now: number): string {
  const left = Date.parse(expires) - now;
  if (Number.isNaN(left)) {
    return `expires ${expires}`;
  }
  return left > 0 ? `expires in ${duration(left)}` : `expired ${duration(-left, false)} ago`;
}

/** Open decisions first, soonest to expire on top; then the settled ones, newest first. */
export function ordered(statuses: readonly DecisionStatus[]): {
  open: DecisionStatus[];
  settled: DecisionStatus[];
} {
  const open = statuses
    .filter((s) => s.quorum.state === 'pending')
    .sort((a, b) => Date.parse(a.request.expires) - Date.parse(b.request.expires));
  const settled = statuses
    .filter((s) => s.quorum.state !== 'pending')
    .sort((a, b) => Date.parse(b.request.created) - Date.parse(a.request.created));
  return { open, settled };
}
