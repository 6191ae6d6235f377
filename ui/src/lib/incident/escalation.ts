// Who the plan says to tell when an incident enters a phase: a preview for the declare and
// transition dialogs. The backend computes the list that counts, at the moment of the transition
// (incident::escalation::recipients); this follows the same rules so nobody is surprised.
import type { NotifyWhen, OnCallNow, Phase, Plan, Recipient } from '../api';

/** The escalation moment a phase triggers; Mitigated and Closed trigger nothing. */
export function trigger(phase: Phase): NotifyWhen | undefined {
  switch (phase) {
    case 'detected':
      return 'uponDetection';
    case 'validated':
      return 'uponValidation';
    case 'resolved':
      return 'uponResolution';
    default:
      return undefined;
  }
}

export type Expected = Recipient & { phase: Phase };

/**
 * Who must be told when the incident enters each of `phases` (in order), each person once:
 * the category's on-call member if its rotation has one now, else the core members who own the
 * category, else the whole core team; and the extended team when its rule matches.
 */
export function expectedRecipients(
  plan: Plan,
  category: string,
  phases: readonly Phase[],
  onCall: readonly OnCallNow[] = [],
): Expected[] {
  const rule = plan.escalation.find((r) => r.category === category);
  if (rule === undefined) {
    return [];
  }
  const out: Expected[] = [];
  const seen = new Set<string>();
  const add = (recipient: Recipient, phase: Phase) => {
    if (!seen.has(recipient.contact)) {
      seen.add(recipient.contact);
      out.push({ ...recipient, phase });
    }
  };
  for (const phase of phases) {
    const when = trigger(phase);
    if (when === undefined) {
      continue;
    }
    if (rule.core === when) {
      for (const recipient of coreRecipients(plan, category, onCall)) {
        add(recipient, phase);
      }
    }
    if (rule.extended === when) {
      for (const c of plan.extendedTeam) {
        add(
          {
            contact: c.id,
            name: c.name,
            team: 'extended',
            role: c.role,
            reach: c.reach,
            onCall: false,
          },
          phase,
        );
      }
    }
  }
  return out;
}

function coreRecipients(plan: Plan, category: string, onCall: readonly OnCallNow[]): Recipient[] {
  const rotates = plan.onCall.some((r) => r.category === category);
  const holder = rotates ? onCall.find((o) => o.category === category)?.member : undefined;
  const member = plan.coreTeam.find((m) => m.id === holder);
  if (member !== undefined) {
    return [
      {
        contact: member.id,
        name: member.name,
        team: 'core',
        role: member.role,
        reach: member.reach,
        onCall: true,
      },
    ];
  }
  const owners = plan.coreTeam.filter((m) => m.categories.includes(category));
  return (owners.length > 0 ? owners : plan.coreTeam).map((m) => ({
    contact: m.id,
    name: m.name,
    team: 'core',
    role: m.role,
    reach: m.reach,
    onCall: false,
  }));
}
