// What an update says, to start from: a skeleton per audience, as the practice writes them
// (what happened, the impact, what is being done, when the next update comes), with the
// incident's own facts filled in and the rest marked to fill. Users get no internal detail.
import type { Audience, Incident, Timing } from '../api';
import { localTime, zoneName } from '../kit/time';

/** When the next update is due if this one goes out at `now`, or undefined without a cadence. */
export function nextUpdateAt(timing: Timing | undefined, now: number): string | undefined {
  const minutes =
    timing?.kind === 'everyHours'
      ? timing.hours * 60
      : timing?.kind === 'everyMinutes'
        ? timing.minutes
        : undefined;
  return minutes === undefined || minutes <= 0
    ? undefined
    : new Date(now + minutes * 60_000).toISOString();
}

/** The parts of a template to replace: a text still holding one is not an update yet. */
export const PLACEHOLDERS = [
  '[when]',
  '[what users see]',
  '[what users should or should not do]',
  '[what changed]',
  '[who does what]',
  '[what we know]',
  '[who and what is affected, amounts if confirmed]',
  '[actions under way]',
];

/** The first template part `text` still holds, or undefined. */
export function unfilled(text: string): string | undefined {
  return PLACEHOLDERS.find((p) => text.includes(p));
}

function at(iso: string | undefined): string {
  if (iso === undefined) {
    return '[when]';
  }
  const local = localTime(iso);
  return `${local.slice(11)} ${zoneName(new Date(iso))}`;
}

/** The skeleton of an update to `audience` about `incident`; `next` is the next update's time. */
export function updateTemplate(audience: Audience, incident: Incident, next?: string): string {
  const nextLine = `Next update: ${at(next)}.`;
  switch (audience) {
    case 'users':
      return [
        `We are investigating an issue: ${incident.title}.`,
        'What is affected: [what users see].',
        'What to do: [what users should or should not do].',
        nextLine,
      ].join('\n');
    case 'responders':
      return [
        `${incident.id} ${incident.title} — now: ${incident.phase}.`,
        'Changed since the last update: [what changed].',
        'Next steps and owners: [who does what].',
        nextLine,
      ].join('\n');
    default:
      return [
        `${incident.id} ${incident.title} (${incident.severity}, ${incident.phase}).`,
        'What happened: [what we know].',
        'Impact: [who and what is affected, amounts if confirmed].',
        'What we are doing: [actions under way].',
        nextLine,
      ].join('\n');
  }
}
