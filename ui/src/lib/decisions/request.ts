// What the request dialog checks before it asks the backend (which checks the same again).

/** Four hours, as the backend's default. */
export const DEFAULT_EXPIRY_MINUTES = 240;

export const STATEMENT_MAX = 500;

/** Thirty days: the longest a request may stay open. */
export const MAX_EXPIRY_MINUTES = 30 * 24 * 60;

export function requestProblems(
  statement: string,
  minutes: number | null | undefined,
): { statement?: string | undefined; minutes?: string | undefined } {
  const out: { statement?: string; minutes?: string } = {};
  const text = statement.trim();
  if (text === '') {
    out.statement = 'Say what is to be decided: the approvers sign these words.';
  } else if (/[\r\n]/.test(statement)) {
    out.statement = 'One line: the statement is signed as a single line.';
  } else if ([...text].length > STATEMENT_MAX) {
    out.statement = `At most ${STATEMENT_MAX} characters.`;
  }
  if (minutes === null || minutes === undefined || !Number.isInteger(minutes) || minutes < 1) {
    out.minutes = 'Give a whole number of minutes, at least 1 (240 is four hours).';
  } else if (minutes > MAX_EXPIRY_MINUTES) {
    out.minutes = `At most ${MAX_EXPIRY_MINUTES} minutes (30 days).`;
  }
  return out;
}
