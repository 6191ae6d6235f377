// Dates and times as the forms show them and as the backend stores them: local calendar dates
// (YYYY-MM-DD), hand-over times (HH:MM:SS), and override instants in UTC (RFC 3339).
// Forms take them as typed text in one convention, whatever the system's locale: a date as
// YYYY-MM-DD, a time as HH:MM (24-hour), a moment as YYYY-MM-DD HH:MM in local time. (The
// webview's own date pickers ignored typing and showed the locale's mm/dd/yyyy.)

/** How each kind of field is written, for placeholders and hints. */
export const FORMATS = {
  date: 'YYYY-MM-DD',
  time: 'HH:MM',
  'datetime-local': 'YYYY-MM-DD HH:MM',
} as const;

/** Whether `text` is a real calendar date written YYYY-MM-DD (not 2026-02-30). */
export function isDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (match === null) {
    return false;
  }
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** A day in local time, YYYY-MM-DD: today's by default, for "Mark verified today". */
export function localDate(now: Date = new Date()): string {
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The time zone the system uses, e.g. "Europe/Berlin"; UTC when it cannot be told. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** Whether the runtime knows `name` as an IANA time zone. */
export function isKnownTimeZone(name: string): boolean {
  if (name.trim() === '') {
    return false;
  }
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** "09:00:00" → "09:00", for an `<input type="time">`. */
export function timeForInput(time: string): string {
  return time.slice(0, 5);
}

/** "09:00" (or "9:00") → "09:00:00", as the backend stores a time of day. */
export function timeFromInput(value: string): string {
  const match = /^(\d{1,2}):(\d{2})$/.exec(value.trim());
  return match ? `${(match[1] ?? '').padStart(2, '0')}:${match[2]}:00` : value.trim();
}

/** A UTC instant as a form shows it: "2026-03-01 09:30" in local time. */
export function utcToLocalInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) {
    return '';
  }
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` +
    ` ${pad(d.getHours())}:${pad(d.getMinutes())}`
  );
}

/**
 * A local moment as typed ("2026-03-01 09:30", or with a T) as a UTC RFC 3339 string;
 * undefined when unreadable or not a real date and time (2026-02-30, 25:00).
 */
export function localInputToUtc(value: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})[T ]+(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (match === null) {
    return undefined;
  }
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  const second = Number.isNaN(s) ? 0 : (s ?? 0);
  const date = new Date(y ?? 0, (mo ?? 1) - 1, d, h, mi, second);
  // Date rolls 2026-02-30 over into March and 25:00 into the next day: refuse, not guess.
  const real =
    date.getFullYear() === y &&
    date.getMonth() === (mo ?? 1) - 1 &&
    date.getDate() === d &&
    (h ?? 0) < 24 &&
    (mi ?? 0) < 60 &&
    second < 60;
  if (Number.isNaN(date.getTime()) || !real) {
    return undefined;
  }
  return date.toISOString().replace(/\.000Z$/, 'Z');
}
