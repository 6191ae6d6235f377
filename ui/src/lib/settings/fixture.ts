// The team folder for tests, on the test plan (`plan/fixture.ts`): Ada (`ada`) signs on
// `ada-laptop`; a joined view uses a plain folder unless told otherwise. Times are minutes before
// the real clock, as the section shows them relative to it.
import type { Heard, LinkState, RosterView, TeamStatus, TeamView, Transport } from '../api';

export const TEAM_FOLDER = '/home/ada/Sync/muster-team';

/** An RFC 3339 time `minutes` before now. */
export function minutesAgo(minutes: number): string {
  return new Date(Date.now() - minutes * 60_000).toISOString();
}

export function teamStatus(over: Partial<TeamStatus> = {}): TeamStatus {
  return {
    profile: null,
    unsigned: 0,
    published: 0,
    received: 0,
    waiting: 0,
    notApplied: [],
    teammates: [],
    ...over,
  };
}

export function linkState(over: Partial<LinkState> = {}): LinkState {
  return { lastRound: null, unsigned: null, problem: null, quarantined: [], ...over };
}

/** Not in a team; Ada signs here (`signsAs: null` when no key is set up). */
export function notInTeam(over: Partial<TeamView> = {}): TeamView {
  return {
    status: teamStatus(),
    transport: null,
    link: linkState(),
    signsAs: 'ada',
    suggestedDevice: 'ada-laptop',
    ...over,
  };
}

/** In the team folder as Ada on ada-laptop, last checked two minutes ago. */
export function inTeam(
  over: { status?: Partial<TeamStatus>; link?: Partial<LinkState>; transport?: Transport } = {},
): TeamView {
  return {
    status: teamStatus({
      profile: { folder: TEAM_FOLDER, person: 'ada', device: 'ada-laptop' },
      published: 12,
      received: 30,
      ...over.status,
    }),
    transport: over.transport ?? { kind: 'plain' },
    link: linkState({ lastRound: minutesAgo(2), ...over.link }),
    signsAs: 'ada',
    suggestedDevice: 'ada-laptop',
  };
}

/** Ben's desktop, heard from five minutes ago (by its clock), taken in four minutes ago. */
export function heard(over: Partial<Heard> = {}): Heard {
  return {
    person: 'ben',
    device: 'ben-desktop',
    events: 7,
    lastWritten: minutesAgo(5),
    lastReceived: minutesAgo(4),
    ...over,
  };
}

/** No roster: keys and approvers are the plan's. */
export function noRoster(): RosterView {
  return {
    root: null,
    current: null,
    waiting: [],
    refused: [],
    frozen: null,
    roots: [],
    behind: null,
  };
}
