// Signing keys as the plan lists them: OpenSSH public key lines (`ssh-ed25519 AAAA… comment`).
// The forms show a key by its fingerprint, as `ssh-keygen -l` and `muster key show` print it.

/**
 * The key's fingerprint, `SHA256:` and the unpadded base64 of the SHA-256 of the key blob;
 * null when the line is not a readable key.
 */
export async function fingerprint(line: string): Promise<string | null> {
  const blob = line.trim().split(/\s+/)[1];
  if (blob === undefined || !/^[A-Za-z0-9+/]+={0,2}$/.test(blob)) {
    return null;
  }
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = Uint8Array.from(atob(blob), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  const text = btoa(String.fromCharCode(...digest)).replace(/=+$/, '');
  return `SHA256:${text}`;
}

/** A retirement instant (RFC 3339, UTC) as the forms show it: "2026-11-01 09:00 UTC". */
export function retiredFrom(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return match === null ? iso : `${match[1]} ${match[2]} UTC`;
}
