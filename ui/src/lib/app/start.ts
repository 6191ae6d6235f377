// Where the window opens: on a launch with a real S1 or S2 incident open, on its console (the
// most severe, then the latest declared) instead of the overview — the person is most likely
// coming back to it. Only a launch that asked for no page; only once.
import type { IncidentSummary } from '../api';
import { isOpen } from '../incident';

const RANK: Record<string, number> = { S1: 0, S2: 1 };

/** The incident a launch opens on, or undefined for the page it asked for. */
export function openOnStart(summaries: readonly IncidentSummary[]): IncidentSummary | undefined {
  return summaries
    .filter((s) => !s.exercise && isOpen(s.phase) && RANK[s.severity] !== undefined)
    .sort(
      (a, b) =>
        (RANK[a.severity] ?? 9) - (RANK[b.severity] ?? 9) ||
        Date.parse(b.declaredAt) - Date.parse(a.declaredAt),
    )[0];
}

/** Whether the address a launch came up with asks for no particular page. */
export function launchedOnNoPage(hash: string): boolean {
  return hash === '' || hash === '#' || hash === '#/';
}
