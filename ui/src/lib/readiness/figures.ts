// Real incidents' response times, as Readiness shows them: each incident's, the median, and the
// trend (the latest five against the five before).
import type { ResponseFigures } from '../api';

export type Measure = 'toNotify' | 'toMitigate' | 'toResolve';

/** The median of the figures known, in minutes, or null when none is. */
export function median(list: readonly ResponseFigures[], measure: Measure): number | null {
  const values = list
    .map((f) => f[measure])
    .filter((v): v is number => v !== null && v !== undefined)
    .sort((a, b) => a - b);
  if (values.length === 0) {
    return null;
  }
  const mid = Math.floor(values.length / 2);
  return values.length % 2 === 1
    ? (values[mid] ?? 0)
    : Math.round(((values[mid - 1] ?? 0) + (values[mid] ?? 0)) / 2);
}

/** The latest five's median against the five before's, or null with too few to compare. */
export function trend(
  newestFirst: readonly ResponseFigures[],
  measure: Measure,
): { recent: number; before: number } | null {
  const recent = median(newestFirst.slice(0, 5), measure);
  const before = median(newestFirst.slice(5, 10), measure);
  return recent === null || before === null ? null : { recent, before };
}
