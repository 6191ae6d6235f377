// Dates and times as the forms show them and as the backend stores them: local calendar dates
// (YYYY-MM-DD), hand-over times (HH:MM:SS), and override instants in UTC (RFC 3339).

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

/** "09:00" → "09:00:00", as the backend stores a time of day. */
export function timeFromInput(value: string): string {
  return /^\d{2}:\d{2}$/.test(value) ? `${value}:00` : value;
}

/** A UTC instant as an `<input type="datetime-local">` value in local time. */
export function utcToLocalInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) {
    return '';
  }
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` +
    `T${pad(d.getHours())}:${pad(d.getMinutes())}`
  );
}

/** A `datetime-local` value (local time) as a UTC RFC 3339 string; undefined when unreadable. */
export function localInputToUtc(value: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (match === null) {
    return undefined;
  }
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  const date = new Date(y ?? 0, (mo ?? 1) - 1, d, h, mi, Number.isNaN(s) ? 0 : (s ?? 0));
  if (Number.isNaN(date.getTime())) {
    return undefined;
  }
  return date.toISOString().replace(/\.000Z$/, 'Z');
}
