// Where things are: the hash routes of the app, as plain data. No state and no DOM here, so the
// plan views and the app shell can both depend on it.
import type { Section } from '../api';

/** The seven sections of a plan, in the order the practice numbers them. */
export const SECTIONS = [
  { key: 'issues', number: 1, title: 'Potential issues', one: 'issue', many: 'issues' },
  {
    key: 'procedures',
    number: 2,
    title: 'Response procedures',
    one: 'procedure',
    many: 'procedures',
  },
  { key: 'escalation', number: 3, title: 'Escalation process', one: 'rule', many: 'rules' },
  { key: 'core-team', number: 4, title: 'Core response team', one: 'member', many: 'members' },
  {
    key: 'extended-team',
    number: 5,
    title: 'Extended response team',
    one: 'contact',
    many: 'contacts',
  },
  { key: 'communications', number: 6, title: 'Communications process', one: 'rule', many: 'rules' },
  { key: 'decisions', number: 7, title: 'Decision process', one: 'policy', many: 'policies' },
] as const;

export type SectionKey = (typeof SECTIONS)[number]['key'];

/**
 * Pages beside the plan's sections: the decision requests, the plan check, history, the plan
 * folder, settings, print.
 */
export const TOOLS = ['decisions-log', 'check', 'history', 'folder', 'settings', 'print'] as const;

export type ToolKey = (typeof TOOLS)[number];

/** A section, a tool page, the incidents or the overview: what the sidebar can point at. */
export type PageKey = 'overview' | 'incidents' | 'exercises' | 'readiness' | SectionKey | ToolKey;

/** The tabs of one exercise: its set-up, the moderator's console, read-back, evaluation, report. */
export const EXERCISE_TABS = ['setup', 'run', 'readback', 'evaluation', 'report'] as const;

export type ExerciseTab = (typeof EXERCISE_TABS)[number];

/** The two team pages, whose routes may name one contact to scroll to. */
export type TeamKey = 'core-team' | 'extended-team';

export type Route =
  | { page: 'overview' }
  | { page: 'issues' }
  | { page: 'issue'; id: string }
  | { page: 'procedures' }
  | { page: 'procedure'; id: string }
  | { page: 'escalation' }
  | { page: 'core-team'; contact?: string }
  | { page: 'extended-team'; contact?: string }
  | { page: 'communications' }
  | { page: 'decisions'; focus?: string }
  | { page: 'incidents' }
  | { page: 'incident'; id: string }
  | { page: 'exercises' }
  | { page: 'exercise-new' }
  | { page: 'exercise'; id: string; tab: ExerciseTab }
  | { page: 'readiness' }
  | { page: 'participant'; id: string }
  | { page: 'decisions-log'; focus?: string }
  | { page: Exclude<ToolKey, 'decisions-log'> };

export function sectionInfo(key: SectionKey): (typeof SECTIONS)[number] {
  const found = SECTIONS.find((s) => s.key === key);
  if (found === undefined) {
    throw new Error(`unknown section ${key}`);
  }
  return found;
}

export function pageHref(key: PageKey): string {
  return key === 'overview' ? '#/' : `#/${key}`;
}

export function issueHref(id: string): string {
  return `#/issues/${encodeURIComponent(id)}`;
}

export function procedureHref(id: string): string {
  return `#/procedures/${encodeURIComponent(id)}`;
}

export function decisionHref(id: string): string {
  return `#/decisions/${encodeURIComponent(id)}`;
}

/** The decision requests, scrolled to one, e.g. `#/decisions-log/DEC-1f3a9c0b7d2e4a61`. */
export function decisionLogHref(id: string): string {
  return `#/decisions-log/${encodeURIComponent(id)}`;
}

/** An incident's console, e.g. `#/incidents/INC-3`. */
export function incidentHref(id: string): string {
  return `#/incidents/${encodeURIComponent(id)}`;
}

/** A team page scrolled to one contact, whose row carries `data-contact="<id>"`. */
export function contactHref(team: TeamKey, id: string): string {
  return `#/${team}/${encodeURIComponent(id)}`;
}

/** The exercises: programme, planned and held, e.g. `#/exercises`. */
export function exercisesHref(): string {
  return '#/exercises';
}

/** One exercise on one tab, e.g. `#/exercises/EX-2/run`; the set-up tab is `#/exercises/EX-2`. */
export function exerciseHref(id: string, tab: ExerciseTab = 'setup'): string {
  const base = `#/exercises/${encodeURIComponent(id)}`;
  return tab === 'setup' ? base : `${base}/${tab}`;
}

/** The set-up form of a new exercise. */
export function newExerciseHref(): string {
  return '#/exercises/new';
}

/** The projector's view of an exercise, shown alone in its own window. */
export function participantHref(id: string): string {
  return `#/participant/${encodeURIComponent(id)}`;
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** The route a location hash names. Anything unknown is the overview. */
export function parseHash(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/^\/+/, '').replace(/\/+$/, '');
  const [head = '', id, ...rest] = path.split('/');
  if (head === 'exercises' && id !== undefined && id !== '' && rest.length <= 1) {
    if (id === 'new' && rest.length === 0) {
      return { page: 'exercise-new' };
    }
    const tab = rest[0] ?? 'setup';
    const known = EXERCISE_TABS.find((t) => t === tab);
    return known === undefined
      ? { page: 'overview' }
      : { page: 'exercise', id: decode(id), tab: known };
  }
  if (rest.length > 0) {
    return { page: 'overview' };
  }
  if (id !== undefined && id !== '') {
    const decoded = decode(id);
    switch (head) {
      case 'issues':
        return { page: 'issue', id: decoded };
      case 'procedures':
        return { page: 'procedure', id: decoded };
      case 'decisions':
        return { page: 'decisions', focus: decoded };
      case 'decisions-log':
        return { page: 'decisions-log', focus: decoded };
      case 'incidents':
        return { page: 'incident', id: decoded };
      case 'participant':
        return { page: 'participant', id: decoded };
      case 'core-team':
      case 'extended-team':
        return { page: head, contact: decoded };
      default:
        return { page: 'overview' };
    }
  }
  switch (head) {
    case 'incidents':
    case 'exercises':
    case 'readiness':
    case 'issues':
    case 'procedures':
    case 'escalation':
    case 'core-team':
    case 'extended-team':
    case 'communications':
    case 'check':
    case 'history':
    case 'folder':
    case 'settings':
    case 'print':
      return { page: head };
    case 'decisions':
      return { page: 'decisions' };
    case 'decisions-log':
      return { page: 'decisions-log' };
    default:
      return { page: 'overview' };
  }
}

/** The sidebar entry a route belongs to: an issue page belongs to the issues section. */
export function pageOf(route: Route): PageKey {
  switch (route.page) {
    case 'issue':
      return 'issues';
    case 'procedure':
      return 'procedures';
    case 'incident':
      return 'incidents';
    case 'exercise':
    case 'exercise-new':
    case 'participant':
      return 'exercises';
    default:
      return route.page;
  }
}

/** Alt+0 is the overview, Alt+1..Alt+7 the sections. */
export function pageForShortcut(digit: number): PageKey | undefined {
  if (digit === 0) {
    return 'overview';
  }
  return SECTIONS.find((s) => s.number === digit)?.key;
}

/** How a section of the stored plan is named in lists (search results, the check, history). */
const SECTION_LABELS: Record<Section, string> = {
  meta: 'Plan details',
  categories: 'Categories',
  issues: 'Potential issues',
  procedures: 'Response procedures',
  escalation: 'Escalation',
  coreTeam: 'Core response team',
  extendedTeam: 'Extended response team',
  onCall: 'On-call rotations',
  communications: 'Communications',
  decisions: 'Decision process',
  exercisePolicy: 'Exercise policy',
};

export function sectionLabel(section: Section): string {
  return SECTION_LABELS[section];
}

/**
 * Where an element of the stored plan is shown, from its section and key (its id; for a step
 * `procedure/step`; for escalation rules and rotations the category id; empty for whole-plan
 * parts). Elements without a page of their own open the page that shows them.
 */
export function elementHref(section: Section, key: string): string {
  const id = key.split('/')[0] ?? '';
  switch (section) {
    case 'issues':
      return id === '' ? pageHref('issues') : issueHref(id);
    case 'procedures':
      return id === '' ? pageHref('procedures') : procedureHref(id);
    case 'decisions':
      return id === '' ? pageHref('decisions') : decisionHref(id);
    case 'coreTeam':
      return id === '' ? pageHref('core-team') : contactHref('core-team', id);
    case 'extendedTeam':
      return id === '' ? pageHref('extended-team') : contactHref('extended-team', id);
    case 'escalation':
    case 'onCall':
      return pageHref('escalation');
    case 'communications':
      return pageHref('communications');
    case 'categories':
      return pageHref('issues');
    case 'meta':
    case 'exercisePolicy':
      return pageHref('overview');
  }
}
