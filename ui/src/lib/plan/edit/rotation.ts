// An on-call rotation as its form edits it (local times as the inputs show them) and back.
import type { OnCallRotation, Weekday } from '../../api';
import {
  browserTimeZone,
  localInputToUtc,
  timeForInput,
  timeFromInput,
  localDate,
  utcToLocalInput,
} from '../../kit/dates';

export type OverrideDraft = { member: string; from: string; until: string; note: string };

export type RotationDraft = {
  members: string[];
  handoverDay: Weekday;
  /** HH:MM, as `<input type="time">` gives it. */
  handoverTime: string;
  timeZone: string;
  startsOn: string;
  overrides: OverrideDraft[];
};

/** The form's values for `rotation`, or a new rotation's defaults among `owners`. */
export function rotationDraft(
  rotation: OnCallRotation | undefined,
  owners: readonly string[],
  now: Date = new Date(),
): RotationDraft {
  if (rotation === undefined) {
    return {
      members: [...owners],
      handoverDay: 'monday',
      handoverTime: '09:00',
      timeZone: browserTimeZone(),
      startsOn: localDate(now),
      overrides: [],
    };
  }
  return {
    members: [...rotation.members],
    handoverDay: rotation.handoverDay,
    handoverTime: timeForInput(rotation.handoverTime),
    timeZone: rotation.timeZone,
    startsOn: rotation.startsOn,
    overrides: rotation.overrides.map((o) => ({
      member: o.member,
      from: utcToLocalInput(o.from),
      until: utcToLocalInput(o.until),
      note: o.note,
    })),
  };
}

/** The rotation to save: times of day with seconds, override instants in UTC. */
export function rotationFromDraft(category: string, draft: RotationDraft): OnCallRotation {
  return {
    category,
    members: [...draft.members],
    handoverDay: draft.handoverDay,
    handoverTime: timeFromInput(draft.handoverTime),
    timeZone: draft.timeZone.trim(),
    startsOn: draft.startsOn.trim(),
    overrides: draft.overrides.map((o) => ({
      member: o.member,
      from: localInputToUtc(o.from) ?? o.from,
      until: localInputToUtc(o.until) ?? o.until,
      note: o.note,
    })),
  };
}
