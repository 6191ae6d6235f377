// Where a long address, handle or identifier may break across lines: after each
// dot, @, slash, underscore or hyphen, so "incident@brightline.example.org"
// wraps as "incident@ / brightline. / example.org" instead of widening its
// table or breaking inside a word.

/** The pieces of `text`, each ending just after a place it may break. */
export function breakPoints(text: string): string[] {
  const pieces = text.match(/[^@./_\-:]*[@./_\-:]+|[^@./_\-:]+$/g);
  return pieces ?? [text];
}
