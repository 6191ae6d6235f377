// The plan check's gaps as the panel and the badge show them. The check itself runs in the
// backend; nothing here decides what a gap is.
import type { Gap, GapLevel } from '../api';
import { elementHref, pageHref } from '../nav';

export type GapGroup = { level: GapLevel; title: string; gaps: Gap[] };

/**
 * Problems, then warnings, then suggestions, each in the backend's order. Every group is there,
 * maybe empty.
 */
export function groupGaps(gaps: readonly Gap[]): [GapGroup, GapGroup, GapGroup] {
  return [
    { level: 'problem', title: 'Problems', gaps: gaps.filter((g) => g.level === 'problem') },
    { level: 'warning', title: 'Warnings', gaps: gaps.filter((g) => g.level === 'warning') },
    {
      level: 'suggestion',
      title: 'Suggestions',
      gaps: gaps.filter((g) => g.level === 'suggestion'),
    },
  ];
}

/**
 * Where the element a gap concerns is shown. An open improvement item about no element in
 * particular (it points at the exercise policy) opens the readiness dashboard, which lists it.
 */
export function gapHref(gap: Gap): string {
  if (gap.kind === 'improvementOpen' && gap.element === '') {
    return pageHref('readiness');
  }
  return elementHref(gap.section, gap.element);
}

/** A tag for gaps that are not about the plan's content alone, e.g. "Improvement item". */
export function gapTag(gap: Gap): string | undefined {
  switch (gap.kind) {
    case 'improvementOpen':
      return 'Improvement item';
    case 'conflict':
      return 'Changed on two laptops';
    default:
      return undefined;
  }
}

export type Badge = { level: GapLevel; count: number };

/**
 * The sidebar badge: the problems, or else the warnings; nothing when the plan is clean. A
 * suggestion alone raises no badge: nothing is wrong.
 */
export function badgeFor(gaps: readonly Gap[]): Badge | undefined {
  const group = groupGaps(gaps)
    .slice(0, 2)
    .find((g) => g.gaps.length > 0);
  return group === undefined ? undefined : { level: group.level, count: group.gaps.length };
}

/** Today in the person's own time zone, `YYYY-MM-DD`. */
export { localDate } from '../kit/dates';
