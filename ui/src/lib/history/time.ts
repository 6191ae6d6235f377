// Revision times are stored as RFC 3339 in UTC; people read them in their own time zone.

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

/** "detection › signal" for the dotted path `detection.signal`. */
export function fieldLabel(path: string): string {
  return path.split('.').join(' › ');
}
