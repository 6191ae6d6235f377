import { describe, expect, it } from 'vitest';

import { joinLine, splitLine } from './commandLine';

describe('a command line', () => {
  it('splits as a shell would, quotes and backslashes kept', () => {
    expect(splitLine(`scripts/pause.sh --pool 'main pool' "say \\"hi\\"" a\\ b ''`)).toEqual({
      argv: ['scripts/pause.sh', '--pool', 'main pool', 'say "hi"', 'a b', ''],
    });
    expect(splitLine('  ')).toEqual({ argv: [] });
  });

  it('says what cannot be read', () => {
    expect(splitLine("run 'open")).toEqual({ error: 'a single quote is not closed' });
    expect(splitLine('run "open')).toEqual({ error: 'a double quote is not closed' });
    expect(splitLine('run \\')).toEqual({
      error: 'ends with a backslash: write what it keeps, or remove it',
    });
  });

  it('joins arguments into a line that splits back the same', () => {
    const cases = [
      ['scripts/pause.sh', '--pool', 'main'],
      ['a b', "it's", '', '"q"', 'back\\slash', 'tab\there', 'ünïcode'],
    ];
    for (const argv of cases) {
      expect(splitLine(joinLine(argv))).toEqual({ argv });
    }
    expect(joinLine(['scripts/pause.sh', 'main pool'])).toBe("scripts/pause.sh 'main pool'");
  });
});
