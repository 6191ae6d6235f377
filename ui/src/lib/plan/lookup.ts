// Pure look-ups over a plan: what a view needs, joined up from the sections' ids.
import type {
  Category,
  CommunicationRule,
  CoreMember,
  DecisionPolicy,
  EscalationRule,
  Person,
  Plan,
  PotentialIssue,
  Procedure,
  SectionCounts,
} from '../api';
import type { SectionKey } from '../nav';

/** The name of a contact in either team, if there is one with that id. */
export function contactName(plan: Plan, id: string): string | undefined {
  return (
    plan.coreTeam.find((m) => m.id === id)?.name ?? plan.extendedTeam.find((c) => c.id === id)?.name
  );
}

/** A contact's name, or its id marked as unknown so a broken reference stays visible. */
export function displayName(plan: Plan, id: string): string {
  return contactName(plan, id) ?? `${id} (not on a team)`;
}

export function category(plan: Plan, id: string): Category | undefined {
  return plan.categories.find((c) => c.id === id);
}

export function categoryName(plan: Plan, id: string): string {
  return category(plan, id)?.name ?? `${id} (unknown category)`;
}

export function decisionTitle(plan: Plan, id: string): string {
  return plan.decisions.find((d) => d.id === id)?.title ?? `${id} (unknown decision)`;
}

/** Core members who own a category, in plan order. */
export function ownersOf(plan: Plan, categoryId: string): CoreMember[] {
  return plan.coreTeam.filter((m) => m.categories.includes(categoryId));
}

export function escalationFor(plan: Plan, categoryId: string): EscalationRule | undefined {
  return plan.escalation.find((r) => r.category === categoryId);
}

export function proceduresFor(plan: Plan, issueId: string): Procedure[] {
  return plan.procedures.filter((p) => p.issues.includes(issueId));
}

/** "All emergencies", or the names of the categories a rule is limited to. */
export function appliesTo(plan: Plan, rule: CommunicationRule): string {
  if (rule.categories.length === 0) {
    return 'All emergencies';
  }
  return rule.categories.map((id) => categoryName(plan, id)).join(', ');
}

/** A decision policy with its approvers' names. */
export type DecisionView = {
  policy: DecisionPolicy;
  required: string[];
  additional: string[];
};

export function decisionView(plan: Plan, policy: DecisionPolicy): DecisionView {
  return {
    policy,
    required: policy.required.map((id) => displayName(plan, id)),
    additional: policy.additional.map((id) => displayName(plan, id)),
  };
}

/** The distinct decision policies the procedures' steps need, in first-referenced order. */
export function decisionsFor(plan: Plan, procedures: readonly Procedure[]): DecisionView[] {
  const seen = new Set<string>();
  const out: DecisionView[] = [];
  for (const step of procedures.flatMap((p) => p.steps)) {
    if (step.decision === null || seen.has(step.decision)) {
      continue;
    }
    seen.add(step.decision);
    const policy = plan.decisions.find((d) => d.id === step.decision);
    if (policy !== undefined) {
      out.push(decisionView(plan, policy));
    }
  }
  return out;
}

export type IssueView = {
  issue: PotentialIssue;
  category: Category | undefined;
  procedures: Procedure[];
  escalation: EscalationRule | undefined;
  owners: CoreMember[];
  decisions: DecisionView[];
};

/** Everything the issue page shows, or undefined when the plan has no such issue. */
export function issueView(plan: Plan, issueId: string): IssueView | undefined {
  const issue = plan.issues.find((i) => i.id === issueId);
  if (issue === undefined) {
    return undefined;
  }
  const procedures = proceduresFor(plan, issue.id);
  return {
    issue,
    category: category(plan, issue.category),
    procedures,
    escalation: escalationFor(plan, issue.category),
    owners: ownersOf(plan, issue.category),
    decisions: decisionsFor(plan, procedures),
  };
}

export type ProcedureView = {
  procedure: Procedure;
  issues: PotentialIssue[];
  decisions: DecisionView[];
};

export function procedureView(plan: Plan, procedureId: string): ProcedureView | undefined {
  const procedure = plan.procedures.find((p) => p.id === procedureId);
  if (procedure === undefined) {
    return undefined;
  }
  return {
    procedure,
    issues: plan.issues.filter((i) => procedure.issues.includes(i.id)),
    decisions: decisionsFor(plan, [procedure]),
  };
}

export type IssueGroup = {
  /** Undefined for issues whose category is not in the plan. */
  category: Category | undefined;
  issues: PotentialIssue[];
};

/** Issues grouped by category, in category order; orphans last. Empty groups are left out. */
export function issuesByCategory(plan: Plan): IssueGroup[] {
  const known = new Set(plan.categories.map((c) => c.id));
  const groups: IssueGroup[] = plan.categories.map((c) => ({
    category: c,
    issues: plan.issues.filter((i) => i.category === c.id),
  }));
  groups.push({ category: undefined, issues: plan.issues.filter((i) => !known.has(i.category)) });
  return groups.filter((g) => g.issues.length > 0);
}

/** How many entries each section has, as the print view shows them. */
export function sectionCounts(plan: Plan): Record<SectionKey, number> {
  return countsByPage(planCounts(plan));
}

/** Each section's size, as an outline carries it (core's `plan::outline` counts the same). */
export function planCounts(plan: Plan): SectionCounts {
  return {
    issues: plan.issues.length,
    procedures: plan.procedures.length,
    escalation: plan.escalation.length,
    coreTeam: plan.coreTeam.length,
    extendedTeam: plan.extendedTeam.length,
    communications: plan.communications.length,
    decisions: plan.decisions.length,
  };
}

/** Each section's size by its page's key, from the counts an outline carries. */
export function countsByPage(counts: SectionCounts): Record<SectionKey, number> {
  return {
    issues: counts.issues,
    procedures: counts.procedures,
    escalation: counts.escalation,
    'core-team': counts.coreTeam,
    'extended-team': counts.extendedTeam,
    communications: counts.communications,
    decisions: counts.decisions,
  };
}

/** A person's name by id, from an outline's people. */
export function personName(people: readonly Person[], id: string): string | undefined {
  return people.find((p) => p.id === id)?.name;
}

/** "plus 2 of: Ada, Ben, Chloe", or the optional co-signers when none are needed. */
export function additionalText(view: DecisionView): string | undefined {
  if (view.additional.length === 0) {
    return undefined;
  }
  const names = view.additional.join(', ');
  const needed = view.policy.additionalNeeded;
  return needed > 0 ? `plus ${needed} of: ${names}` : `optional co-signers: ${names}`;
}

/**
 * Every category with its issues, in category order, including categories with no issue yet;
 * issues whose category is not in the plan come last in a group of their own.
 */
export function categoryGroups(plan: Plan): IssueGroup[] {
  // One pass over the issues, whatever the number of categories.
  const byCategory = new Map<string, PotentialIssue[]>(plan.categories.map((c) => [c.id, []]));
  const orphans: PotentialIssue[] = [];
  for (const issue of plan.issues) {
    (byCategory.get(issue.category) ?? orphans).push(issue);
  }
  const groups: IssueGroup[] = plan.categories.map((c) => ({
    category: c,
    issues: byCategory.get(c.id) ?? [],
  }));
  return orphans.length > 0 ? [...groups, { category: undefined, issues: orphans }] : groups;
}

/** [`moveTargets`] of every element of `siblings`, by id: one pass, not a search per row. */
export function moveTable(
  all: readonly { id: string }[],
  siblings: readonly { id: string }[],
): Map<string, { up: number | undefined; down: number | undefined }> {
  const index = new Map(all.map((a, i) => [a.id, i]));
  const table = new Map<string, { up: number | undefined; down: number | undefined }>();
  siblings.forEach((s, i) => {
    const before = siblings[i - 1];
    const after = siblings[i + 1];
    table.set(s.id, {
      up: before === undefined ? undefined : index.get(before.id),
      down: after === undefined ? undefined : index.get(after.id),
    });
  });
  return table;
}

/**
 * Where a move sends an element so it passes its neighbour in `siblings` (which may be a
 * subset of the section, such as one category's issues): the neighbour's index in `all`.
 */
export function moveTargets(
  all: readonly { id: string }[],
  siblings: readonly { id: string }[],
  id: string,
): { up: number | undefined; down: number | undefined } {
  const at = siblings.findIndex((s) => s.id === id);
  const index = (neighbour: { id: string } | undefined) => {
    const i = neighbour === undefined ? -1 : all.findIndex((a) => a.id === neighbour.id);
    return i < 0 ? undefined : i;
  };
  return {
    up: at > 0 ? index(siblings[at - 1]) : undefined,
    down: at >= 0 ? index(siblings[at + 1]) : undefined,
  };
}
