// What the team's plan leaves disputed, as the backend last said: a field two laptops changed
// without seeing each other's change. Asked again whenever the plan changes (a teammate's change
// arriving, or a conflict settled here or elsewhere).
import { onPlanChanged, planConflicts, type PlanConflict, type Section } from '../api';
import { Resource } from '../kit/resource.svelte';

export const conflicts = new Resource<PlanConflict[]>(planConflicts, {
  refreshOn: [onPlanChanged],
});

/** The conflicts of one element, or of a whole section when `key` is undefined. */
export function conflictsOf(
  all: readonly PlanConflict[],
  section: Section | readonly Section[],
  key?: string,
): PlanConflict[] {
  const sections: readonly Section[] = typeof section === 'string' ? [section] : section;
  return all.filter((c) => sections.includes(c.section) && (key === undefined || c.key === key));
}

/** A field's pointer for people: "/detection/signal" is "Detection signal". */
export function conflictField(pointer: string): string {
  if (pointer === '') {
    return 'Whether it stays in the plan';
  }
  const words = pointer
    .split('/')
    .filter((p) => p !== '')
    .map((p) => p.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`))
    .join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The plan pages' routes, and which conflicts each shows above its content. */
export type ConflictScope = { sections: readonly Section[]; key?: string };

const ALL_SECTIONS: readonly Section[] = [
  'meta',
  'categories',
  'issues',
  'procedures',
  'escalation',
  'coreTeam',
  'extendedTeam',
  'onCall',
  'communications',
  'decisions',
  'exercisePolicy',
];

/** What a page of the plan shows of the conflicts; undefined for pages that show none. */
export function conflictScope(route: { page: string; id?: string }): ConflictScope | undefined {
  switch (route.page) {
    case 'overview':
      return { sections: ALL_SECTIONS };
    case 'issues':
      return { sections: ['issues', 'categories'] };
    case 'issue':
      return { sections: ['issues'], key: route.id ?? '' };
    case 'procedures':
      return { sections: ['procedures'] };
    case 'procedure':
      return { sections: ['procedures'], key: route.id ?? '' };
    case 'escalation':
      return { sections: ['escalation', 'onCall'] };
    case 'core-team':
      return { sections: ['coreTeam'] };
    case 'extended-team':
      return { sections: ['extendedTeam'] };
    case 'communications':
      return { sections: ['communications'] };
    case 'decisions':
      return { sections: ['decisions'] };
    default:
      return undefined;
  }
}
