// Decisions for tests, on the test plan (`plan/fixture.ts`) and incident INC-3
// (`incident/fixture.ts`, whose clock reads 14:00 UTC on 4 March 2026): "Pause the pool" under
// the `pause` policy (Ada and Ben required, Chloe optional), requested at 13:30, expiring 17:30.
import type {
  ApproverStanding,
  Attestation,
  DecisionRequest,
  DecisionStatus,
  QuorumState,
  SignatureFile,
  SignatureInfo,
  SigningKeyStatus,
  Standing,
} from '../api';

export const DEC = 'DEC-1f3a9c0b7d2e4a61';
export const ADA_KEY = 'SHA256:adaAdaAdaAdaAdaAdaAdaAdaAdaAdaAdaAdaAdaAda0';
export const BEN_KEY = 'SHA256:benBenBenBenBenBenBenBenBenBenBenBenBenBen0';

const NAMES: Record<string, string> = {
  ada: 'Ada Example',
  ben: 'Ben Sample',
  chloe: 'Chloe Demo',
  metro: 'Metro Police',
};

export function request(over: Partial<DecisionRequest> = {}): DecisionRequest {
  return {
    id: DEC,
    incident: 'INC-3',
    policy: 'pause',
    policyTitle: 'Pause contract',
    statement: 'Pause the pool',
    namespace: 'muster-decision-v1',
    exercise: false,
    created: '2026-03-04T13:30:00Z',
    expires: '2026-03-04T17:30:00Z',
    recordSha256: 'ab'.repeat(32),
    record: 'Muster decision request v1\n',
    local: true,
    requestedBy: 'Ada Example',
    ...over,
  };
}

export function approver(contact: string, standing: Standing, required = true): ApproverStanding {
  return { contact, name: NAMES[contact] ?? contact, required, standing };
}

export function signature(
  contact: string,
  verdict: 'approve' | 'reject',
  reason = '',
): SignatureInfo {
  return {
    number: 1,
    contact,
    name: NAMES[contact] ?? contact,
    verdict,
    reason,
    fingerprint: contact === 'ada' ? ADA_KEY : BEN_KEY,
    publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI',
    importedAt: '2026-03-04T13:40:00Z',
    importedBy: 'Ada Example',
  };
}

export function attestation(approver: string, counts: boolean): Attestation {
  return {
    number: 1,
    approver,
    approverName: NAMES[approver] ?? approver,
    channel: 'phone',
    approvedAt: '2026-03-04T13:45:00Z',
    witness: 'ada',
    witnessName: 'Ada Example',
    recordedBy: 'Ada Example',
    recordedAt: '2026-03-04T13:46:00Z',
    counts,
  };
}

/**
 * Pending by default: Ada signed, Ben still to sign, Chloe (optional) waiting. Pass the
 * approvers (and what they gave) to tell another story.
 */
export function decision(
  over: {
    request?: Partial<DecisionRequest>;
    state?: QuorumState;
    approvers?: ApproverStanding[];
    signatures?: SignatureInfo[];
    attestations?: Attestation[];
    waitingFor?: string[];
    additionalMissing?: number;
    additionalNeeded?: number;
    summary?: string;
  } = {},
): DecisionStatus {
  const approvers = over.approvers ?? [
    approver('ada', 'signed'),
    approver('ben', 'waiting'),
    approver('chloe', 'waiting', false),
  ];
  const waitingFor =
    over.waitingFor ??
    approvers.filter((a) => a.required && a.standing === 'waiting').map((a) => a.contact);
  return {
    request: request(over.request),
    quorum: {
      state: over.state ?? 'pending',
      approvers,
      additionalNeeded: over.additionalNeeded ?? 0,
      additionalApproved: 0,
      waitingFor,
      additionalMissing: over.additionalMissing ?? 0,
      summary: over.summary ?? 'waiting for Ben Sample',
    },
    signatures: over.signatures ?? [signature('ada', 'approve')],
    attestations: over.attestations ?? [],
  };
}

export function keyStatus(over: Partial<SigningKeyStatus> = {}): SigningKeyStatus {
  return {
    contact: 'ben',
    name: 'Ben Sample',
    fingerprint: BEN_KEY,
    keychain: 'ready',
    detail: 'Secret Service',
    ...over,
  };
}

export function signatureFile(over: Partial<SignatureFile> = {}): SignatureFile {
  return {
    decision: DEC,
    signer: 'ben',
    verdict: 'approve',
    reason: '',
    fingerprint: BEN_KEY,
    text: 'Muster decision signature v1\n',
    ...over,
  };
}
