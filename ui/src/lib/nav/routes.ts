// Where things are: the hash routes of the app, as plain data. No state and no DOM here, so the
// plan views and the app shell can both depend on it.

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

/** A section or the overview: what the sidebar can point at. */
export type PageKey = 'overview' | SectionKey;

export type Route =
  | { page: 'overview' }
  | { page: 'issues' }
  | { page: 'issue'; id: string }
  | { page: 'procedures' }
  | { page: 'procedure'; id: string }
  | { page: 'escalation' }
  | { page: 'core-team' }
  | { page: 'extended-team' }
  | { page: 'communications' }
  | { page: 'decisions'; focus?: string };

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
      default:
        return { page: 'overview' };
    }
  }
  switch (head) {
    case 'issues':
    case 'procedures':
    case 'escalation':
    case 'core-team':
    case 'extended-team':
    case 'communications':
      return { page: head };
    case 'decisions':
      return { page: 'decisions' };
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
