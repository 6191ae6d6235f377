// Times for people: how long ago, how long until, and when, in the person's own time zone.
// Times are stored as RFC 3339 in UTC. Everything takes `now` as an argument so the countdowns
// can be tested.

/** "2026-03-04 09:05" in local time, or the text as given when it is not a time. */
export function localTime(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) {
    return iso;
  }
  const pad = (n: number) => String(n).padStart(2, '0');
  const date = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
  return `${date} ${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A length of time for people: "40 s", "4 min 05 s" (under ten minutes, where seconds count),
 * "35 min", "2 h 05 min", "3 d 4 h".
 */
export function duration(ms: number, seconds = true): string {
  const abs = Math.max(0, Math.abs(ms));
  const pad = (n: number) => String(n).padStart(2, '0');
  if (abs < MINUTE) {
    return seconds ? `${Math.floor(abs / 1000)} s` : 'under a minute';
  }
  if (abs < 10 * MINUTE && seconds) {
    return `${Math.floor(abs / MINUTE)} min ${pad(Math.floor((abs % MINUTE) / 1000))} s`;
  }
  if (abs < HOUR) {
    return `${Math.floor(abs / MINUTE)} min`;
  }
  if (abs < DAY) {
    return `${Math.floor(abs / HOUR)} h ${pad(Math.floor((abs % HOUR) / MINUTE))} min`;
  }
  const hours = Math.floor((abs % DAY) / HOUR);
  return `${Math.floor(abs / DAY)} d${hours > 0 ? ` ${hours} h` : ''}`;
}

function millis(iso: string): number {
  return new Date(iso).getTime();
}

/** How long since `since`, rounded to minutes: "2 h 05 min". */
export function elapsed(since: string, now: number): string {
  return duration(now - millis(since), false);
}

/**
 * How long ago `at` was, rounded to minutes: "under a minute ago", "2 h 05 min ago". A time a
 * minute or more after `now` (another computer's clock running ahead) is shown as its local time.
 */
export function ago(at: string, now: number): string {
  const then = millis(at);
  if (Number.isNaN(then)) {
    return at;
  }
  if (then - now >= MINUTE) {
    return localTime(at);
  }
  return `${duration(Math.max(0, now - then), false)} ago`;
}

/** Whether a deadline has passed by a minute or more: overdue, not merely due. */
export function isOverdue(since: string, now: number): boolean {
  return now - millis(since) >= MINUTE;
}

/** "due in 12 min", "due now" (in its first minute), "overdue by 12 min". */
export function dueText(dueAt: string, now: number): string {
  const left = millis(dueAt) - now;
  if (left > 0) {
    return `due in ${duration(left)}`;
  }
  return -left < MINUTE ? 'due now' : `overdue by ${duration(-left)}`;
}

/**
 * The local time zone's short name at `at`, as the system names it: "UTC", "CET", "GMT+1".
 * Times are shown in local time, 24-hour, YYYY-MM-DD HH:MM; a time that stands alone names
 * its zone, and a list of times names it once, in its heading.
 */
export function zoneName(at: Date = new Date()): string {
  try {
    const part = new Intl.DateTimeFormat('en-GB', { timeZoneName: 'short' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName');
    return part?.value ?? 'local time';
  } catch {
    return 'local time';
  }
}

/** "2026-03-04 14:05 CET": local time with its zone named. */
export function whenZoned(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : `${localTime(iso)} ${zoneName(at)}`;
}

/** "2026-03-04 14:05" in local time: dates always, as incidents can last days. */
export function when(iso: string): string {
  return localTime(iso);
}

/** "2026-03-04 14:05:09" with seconds, for the timeline's record. */
export function whenExactly(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) {
    return iso;
  }
  return `${localTime(iso)}:${String(at.getSeconds()).padStart(2, '0')}`;
}
