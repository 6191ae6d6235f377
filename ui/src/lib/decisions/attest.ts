// The attest dialog's form, and the checks of its shape (core checks the rest).
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

/**
 * What keeps the attestation from being sent at all: no approver or witness chosen, a time that is
 * not a time. Everything else (the channel, the time against the request, a witness who is the
 * approver, someone who already signed) is core's to say, beside the field.
 */
export function unsendableAttestation(form: AttestForm): AttestProblems {
  const out: AttestProblems = {};
  if (form.approver === '') {
    out.approver = 'Choose who approved.';
  }
  if (localInputToUtc(form.at) === undefined) {
    out.at =
      form.at.trim() === ''
        ? 'Give the date and time they approved, as YYYY-MM-DD HH:MM.'
        : `“${form.at.trim()}” is not a date and time: write it as YYYY-MM-DD HH:MM, e.g. 2027-01-15 14:30.`;
  }
  if (form.witness === '') {
    out.witness = 'Name who heard the approval given.';
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
