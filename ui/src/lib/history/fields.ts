// How a revision's changed field is named for people.

/** "detection › signal" for the dotted path `detection.signal`. */
export function fieldLabel(path: string): string {
  return path.split('.').join(' › ');
}
