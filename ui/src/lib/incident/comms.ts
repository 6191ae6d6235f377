// The communications side of the console: which cadence lines are post-mortems, which one is
// most pressing, and what a line's state says.
import type { Audience, CadenceLine, Waiver } from '../api';

export function isPostMortem(audience: Audience): boolean {
  return audience === 'internalPostMortem' || audience === 'publicPostMortem';
}

/** The update rule to preselect in "Post update": overdue first, then the soonest due. */
export function mostPressing(cadence: readonly CadenceLine[]): CadenceLine | undefined {
  const open = cadence.filter(
    (c) => !isPostMortem(c.audience) && (c.state === 'overdue' || c.state === 'onTrack'),
  );
  return open.sort(
    (a, b) =>
      Number(b.state === 'overdue') - Number(a.state === 'overdue') ||
      (a.dueAt ?? '9').localeCompare(b.dueAt ?? '9'),
  )[0];
}

/** Whether "Not needed" is offered: optional rules not yet done or waived. */
export function canWaive(line: CadenceLine): boolean {
  return line.optional && line.state !== 'done' && line.state !== 'waived';
}

export function waiverOf(waivers: readonly Waiver[], rule: string): Waiver | undefined {
  return [...waivers].reverse().find((w) => w.rule === rule);
}
