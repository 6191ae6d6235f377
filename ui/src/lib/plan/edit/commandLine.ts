// A step's command as one line a person types: the program and its arguments, split as a
// shell would split them (spaces separate; '…' keeps everything; "…" keeps everything but \" and
// \\; a backslash outside quotes keeps the next character) — but never run through a shell.

/** The arguments a line holds, or why it cannot be read. */
export function splitLine(line: string): { argv: string[] } | { error: string } {
  const argv: string[] = [];
  let current = '';
  let started = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] ?? '';
    if (quote === "'") {
      if (c === "'") {
        quote = undefined;
      } else {
        current += c;
      }
    } else if (quote === '"') {
      if (c === '"') {
        quote = undefined;
      } else if (c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) {
        current += line[++i] ?? '';
      } else {
        current += c;
      }
    } else if (c === "'" || c === '"') {
      quote = c;
      started = true;
    } else if (c === '\\') {
      if (i + 1 >= line.length) {
        return { error: 'ends with a backslash: write what it keeps, or remove it' };
      }
      current += line[++i] ?? '';
      started = true;
    } else if (c === ' ' || c === '\t') {
      if (started) {
        argv.push(current);
        current = '';
        started = false;
      }
    } else {
      current += c;
      started = true;
    }
  }
  if (quote !== undefined) {
    return { error: `a ${quote === "'" ? 'single' : 'double'} quote is not closed` };
  }
  if (started) {
    argv.push(current);
  }
  return { argv };
}

/** The arguments as one line that `splitLine` reads back the same. */
export function joinLine(argv: readonly string[]): string {
  return argv
    .map((a) =>
      a !== '' && /^[A-Za-z0-9_\-./:=@%+,]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`,
    )
    .join(' ');
}
