// Ids for new elements, made from their title the way the backend's `Id::parse` accepts them:
// lowercase ASCII letters, digits and single hyphens, no hyphen at either end, at most 64 bytes.

export const MAX_ID_LEN = 64;

/** "Drained pool (v2)" → "drained-pool-v2". Empty when nothing usable is left. */
export function slugify(text: string): string {
  const ascii = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  const slug = ascii.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return trimTo(slug, MAX_ID_LEN);
}

function trimTo(slug: string, max: number): string {
  return slug.slice(0, max).replace(/-+$/, '');
}

/**
 * `base` (slugified, or `fallback` when that is empty), made unique among `taken` by adding
 * "-2", "-3", … and shortening the base so the whole stays within the length limit.
 */
export function uniqueId(base: string, taken: Iterable<string>, fallback = 'item'): string {
  const used = new Set(taken);
  const root = slugify(base) || slugify(fallback) || 'item';
  if (!used.has(root)) {
    return root;
  }
  for (let n = 2; ; n += 1) {
    const suffix = `-${n}`;
    const candidate = `${trimTo(root, MAX_ID_LEN - suffix.length)}${suffix}`;
    if (!used.has(candidate)) {
      return candidate;
    }
  }
}
