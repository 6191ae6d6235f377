// What the attest dialog checks before it asks the backend (which checks the same again).
import { localTime } from '../kit/time';
import { localInputToUtc } from '../kit/dates';

export type AttestForm = {
  approver: string;
  channel: string;
  /** `datetime-local` value, local time. */
  at: string;
  witness: string;
};

export type AttestProblems = {
  approver?: string | undefined;
  channel?: string | undefined;
  at?: string | undefined;
  witness?: string | undefined;
};

/** The problems of each field, if any; `window` is the request's created and expiry times. */
export function attestProblems(
  form: AttestForm,
  window: { created: string; expires: string },
  now: number,
): AttestProblems {
  const out: AttestProblems = {};
  if (form.approver === '') {
    out.approver = 'Choose who approved.';
  }
  if (form.channel.trim() === '') {
    out.channel = 'Say how they approved, e.g. phone.';
  } else if (/[\r\n]/.test(form.channel)) {
    out.channel = 'One line, e.g. phone.';
  }
  const at = localInputToUtc(form.at);
  if (at === undefined) {
    out.at = 'Give the date and time they approved.';
  } else {
    const instant = Date.parse(at);
    // Minute precision: the minute the request was made, or the current one, is fine.
    const minute = 60_000;
    if (instant > now) {
      out.at = 'That time is still to come: give the time they approved.';
    } else if (instant + minute <= Date.parse(window.created)) {
      out.at = `That is before the request was made (${localTime(window.created)}).`;
    } else if (instant > Date.parse(window.expires)) {
      out.at = `That is after the request expired (${localTime(window.expires)}): it cannot count.`;
    }
  }
  if (form.witness === '') {
    out.witness = 'Name who heard the approval given.';
  } else if (form.witness === form.approver) {
    out.witness = 'Someone other than the approver must witness it.';
  }
  return out;
}

/**
 * The approval's instant to send (RFC 3339, UTC): the form gives minutes, so a time in the
 * minute the request was made counts from the request's own instant.
 */
export function attestInstant(at: string, created: string): string | undefined {
  const utc = localInputToUtc(at);
  if (utc === undefined) {
    return undefined;
  }
  return Date.parse(utc) < Date.parse(created) ? created : utc;
}
