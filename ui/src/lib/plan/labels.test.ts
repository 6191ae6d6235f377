import { describe, expect, it } from 'vitest';

import type { Timing } from '../api';
import {
  audienceLabel,
  codeSegments,
  escalationText,
  exercisePolicyText,
  minutesLabel,
  monitoringLabel,
  notifyWhenLabel,
  severityLabel,
  timingLabel,
} from './labels';

describe('labels', () => {
  it('names severities', () => {
    expect((['S1', 'S2', 'S3', 'S4'] as const).map(severityLabel)).toEqual([
      'critical',
      'major',
      'minor',
      'low',
    ]);
  });

  it('names monitoring', () => {
    expect(monitoringLabel('manual')).toBe('Manual');
    expect(monitoringLabel('automated')).toBe('Automated');
  });

  it('says when a team is notified', () => {
    expect(
      (['uponDetection', 'uponValidation', 'uponResolution', 'never'] as const).map(
        notifyWhenLabel,
      ),
    ).toEqual(['upon detection', 'upon validation', 'upon resolution', 'not notified']);
  });

  it('writes an escalation rule as one line', () => {
    expect(
      escalationText({
        category: 'x',
        core: 'uponDetection',
        extended: 'uponValidation',
        pageAfterMinutes: null,
      }),
    ).toBe('Core team: upon detection · Extended team: upon validation');
    expect(
      escalationText({
        category: 'x',
        core: 'uponResolution',
        extended: 'never',
        pageAfterMinutes: 5,
      }),
    ).toBe(
      'Core team: upon resolution · Extended team: not notified · Unanswered after 5 min: page the backup',
    );
  });

  it('names audiences', () => {
    expect(audienceLabel('internalPostMortem')).toBe('Internal post-mortem');
    expect(audienceLabel('publicPostMortem')).toBe('Public post-mortem');
    expect(audienceLabel('responders')).toBe('Responders');
  });

  it('describes timings', () => {
    const cases: [Timing, string][] = [
      [{ kind: 'untilCompletion' }, 'open until completion'],
      [{ kind: 'everyHours', hours: 1 }, 'every hour'],
      [{ kind: 'everyHours', hours: 4 }, 'every 4 hours'],
      [{ kind: 'everyMinutes', minutes: 1 }, 'every minute'],
      [{ kind: 'everyMinutes', minutes: 15 }, 'every 15 minutes'],
      [{ kind: 'afterResolutionDays', days: 1 }, 'at resolution + 1 day'],
      [{ kind: 'afterResolutionDays', days: 5 }, 'at resolution + 5 days'],
    ];
    for (const [timing, expected] of cases) {
      expect(timingLabel(timing)).toBe(expected);
    }
  });

  it('describes the exercise policy', () => {
    expect(
      exercisePolicyText({
        whileNewEveryWeeks: 4,
        newForMonths: 6,
        establishedEveryMonths: 6,
        sessionHours: 2,
      }),
    ).toBe(
      'Every 4 weeks while the plan is new (its first 6 months), then every 6 months; sessions of 2 hours',
    );
    expect(
      exercisePolicyText({
        whileNewEveryWeeks: 1,
        newForMonths: 1,
        establishedEveryMonths: 1,
        sessionHours: 1,
      }),
    ).toBe(
      'Every week while the plan is new (its first month), then every month; sessions of 1 hour',
    );
  });

  it('rounds expected durations into words', () => {
    expect([null, 5, 60, 90].map(minutesLabel)).toEqual([
      undefined,
      'about 5 min',
      'about 1 h',
      'about 1 h 30 min',
    ]);
  });
});

describe('codeSegments', () => {
  it('splits out inline code', () => {
    expect(codeSegments('run `cast call` then `forge test`.')).toEqual([
      { code: false, text: 'run ' },
      { code: true, text: 'cast call' },
      { code: false, text: ' then ' },
      { code: true, text: 'forge test' },
      { code: false, text: '.' },
    ]);
  });

  it('leaves text with an unmatched backtick alone', () => {
    expect(codeSegments('a `b')).toEqual([{ code: false, text: 'a `b' }]);
    expect(codeSegments('plain')).toEqual([{ code: false, text: 'plain' }]);
    expect(codeSegments('')).toEqual([]);
  });
});
