// Whom the issue's decisions will need: the required approvers of every decision a step of the
// issue's procedures needs. Declaring offers them beside whom to tell, so that nobody whose
// signature the response will need learns of it when the request arrives.
import type { Plan } from '../api';
import { displayName } from '../plan';

export type NeededApprover = { contact: string; name: string; decisions: string[] };

/** The required approvers of the decisions `issue`'s procedures need, in the plan's order. */
export function approversNeeded(plan: Plan, issue: string): NeededApprover[] {
  const policies: string[] = [];
  for (const procedure of plan.procedures.filter((p) => p.issues.includes(issue))) {
    for (const step of procedure.steps) {
      if (step.decision && !policies.includes(step.decision)) {
        policies.push(step.decision);
      }
    }
  }
  const out: NeededApprover[] = [];
  for (const id of policies) {
    const policy = plan.decisions.find((d) => d.id === id);
    for (const contact of policy?.required ?? []) {
      const known = out.find((a) => a.contact === contact);
      const title = policy?.title ?? id;
      if (known) {
        if (!known.decisions.includes(title)) {
          known.decisions.push(title);
        }
      } else {
        out.push({ contact, name: displayName(plan, contact), decisions: [title] });
      }
    }
  }
  return out;
}
