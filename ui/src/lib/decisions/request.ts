// The request dialog's defaults, and the one check of its form's shape (core checks the rest).

/** Four hours, as the backend's default. */
export const DEFAULT_EXPIRY_MINUTES = 240;

/** Thirty days: the longest a request may stay open. */
export const MAX_EXPIRY_MINUTES = 30 * 24 * 60;

/**
 * What keeps the request from being sent at all: an expiry that is not a whole number of minutes.
 * Everything else (an empty or multi-line statement, an expiry outside 1 minute–30 days) is core's
 * to say, beside the field.
 */
export function unsendableRequest(minutes: number | null | undefined): {
  minutes?: string | undefined;
} {
  if (minutes === null || minutes === undefined || !Number.isInteger(minutes)) {
    return { minutes: 'Give a whole number of minutes (240 is four hours).' };
  }
  return {};
}
