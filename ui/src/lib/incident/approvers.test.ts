import { describe, expect, it } from 'vitest';

import { fixturePlan } from '../plan/fixture';
import { approversNeeded } from './approvers';

describe('approversNeeded', () => {
  it("lists the required approvers of the decisions the issue's procedures need, once each", () => {
    const plan = fixturePlan();
    const issue = plan.issues.find((i) =>
      plan.procedures.some((p) => p.issues.includes(i.id) && p.steps.some((s) => s.decision)),
    );
    expect(issue).toBeDefined();
    const needed = approversNeeded(plan, issue?.id ?? '');
    expect(needed.length).toBeGreaterThan(0);
    const contacts = needed.map((n) => n.contact);
    expect(new Set(contacts).size).toBe(contacts.length);
    for (const n of needed) {
      expect(n.decisions.length).toBeGreaterThan(0);
      const policies = plan.decisions.filter((d) => n.decisions.includes(d.title));
      expect(policies.every((d) => d.required.includes(n.contact))).toBe(true);
    }
  });

  it('lists nobody for an issue whose procedures need no decision, or no issue', () => {
    expect(approversNeeded(fixturePlan(), 'no-such-issue')).toEqual([]);
  });
});
