// The plan check's gaps as the panel and the badge show them. The check itself runs in the
// backend; nothing here decides what a gap is.
import type { Gap, GapLevel } from '../api';
import { elementHref } from '../nav/routes';

export type GapGroup = { level: GapLevel; title: string; gaps: Gap[] };

/** Problems, then warnings, each in the backend's order. Both groups are there, maybe empty. */
export function groupGaps(gaps: readonly Gap[]): [GapGroup, GapGroup] {
  return [
    { level: 'problem', title: 'Problems', gaps: gaps.filter((g) => g.level === 'problem') },
    { level: 'warning', title: 'Warnings', gaps: gaps.filter((g) => g.level === 'warning') },
  ];
}

/** Where the element a gap concerns is shown. */
export function gapHref(gap: Gap): string {
  return elementHref(gap.section, gap.element);
}

export type Badge = { level: GapLevel; count: number };

/** The sidebar badge: the problems, or else the warnings; nothing when the plan is clean. */
export function badgeFor(gaps: readonly Gap[]): Badge | undefined {
  const group = groupGaps(gaps).find((g) => g.gaps.length > 0);
  return group === undefined ? undefined : { level: group.level, count: group.gaps.length };
}

/** Today's date where the user is, as YYYY-MM-DD (what "Mark verified" records). */
export function localDate(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
