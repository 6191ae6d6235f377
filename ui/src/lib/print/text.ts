// Words the printed binder uses that the plan pages do not.
import type { OnCallOverride, OnCallRotation, Plan, Weekday } from '../api';
import { displayName } from '../plan';

const WEEKDAYS: Record<Weekday, string> = {
  monday: 'Mondays',
  tuesday: 'Tuesdays',
  wednesday: 'Wednesdays',
  thursday: 'Thursdays',
  friday: 'Fridays',
  saturday: 'Saturdays',
  sunday: 'Sundays',
};

/** "Mondays at 09:00 (Europe/Berlin)". */
export function handoverText(rotation: OnCallRotation): string {
  return `${WEEKDAYS[rotation.handoverDay]} at ${rotation.handoverTime} (${rotation.timeZone})`;
}

/** "Ada Example → Ben Sample → Chloe Demo", in hand-over order. */
export function rotationText(plan: Plan, rotation: OnCallRotation): string {
  return rotation.members.length === 0
    ? 'nobody'
    : rotation.members.map((id) => displayName(plan, id)).join(' → ');
}

/** "Ben Sample from 2026-03-01 until 2026-03-08 (holiday)". */
export function overrideText(plan: Plan, o: OnCallOverride): string {
  const note = o.note.trim() === '' ? '' : ` (${o.note})`;
  return `${displayName(plan, o.member)} from ${o.from} until ${o.until}${note}`;
}

/** "4 March 2026" in the reader's own words. */
export function printedDate(now: Date = new Date()): string {
  return now.toLocaleDateString(undefined, { year: 'numeric', month: 'long', day: 'numeric' });
}
