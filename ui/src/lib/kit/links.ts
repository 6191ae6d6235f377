// Mail and phone links built so that they do exactly what they say: an address becomes one
// recipient and nothing more (a plan text such as `x@example.com?bcc=…` adds no recipient and
// no body), and a number is dialled as written or not offered (never a different number).
// The shell hands such links to the OS (src-tauri/src/links.rs); the window never follows them.

/** One plain address: a local part and a domain, no spaces, no URL syntax. */
const ADDRESS =
  /^[A-Za-z0-9.!#$%&'*+/=^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/** `mailto:` for `email` with an optional subject; none when it is not one plain address. */
export function mailtoHref(email: string, subject?: string): string | null {
  const address = email.trim();
  if (!ADDRESS.test(address) || /[?&%]/.test(address)) {
    return null;
  }
  const local = encodeURIComponent(address).replace('%40', '@');
  return subject === undefined
    ? `mailto:${local}`
    : `mailto:${local}?subject=${encodeURIComponent(subject)}`;
}

/**
 * `tel:` for `phone` as written: digits with an optional leading `+`, spaces and the visual
 * separators `-`, `.`, `(`, `)`. None for anything a dialler would have to guess at — a
 * trunk prefix in brackets (`+44 (0)20…`, dialled with or without the 0?), an extension, letters.
 */
export function telHref(phone: string): string | null {
  const written = phone.trim();
  if (!/^\+?[\d\s().-]+$/.test(written) || /\(\s*0\s*\)/.test(written)) {
    return null;
  }
  const digits = written.replace(/[^\d]/g, '');
  if (digits.length < 3) {
    return null;
  }
  return `tel:${written.startsWith('+') ? '+' : ''}${digits}`;
}

/** An `http:` or `https:` link as written, or none when `text` is anything else. */
export function webHref(text: string): string | null {
  const written = text.trim();
  if (!/^https?:\/\/\S+$/.test(written) || /[\u0000-\u001f\u007f-\u009f]/.test(written)) {
    return null;
  }
  try {
    const url = new URL(written);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
