import { describe, expect, it } from 'vitest';

import { parseRules, ruleText, rulesText } from './alertRules';

describe('alert rules as text', () => {
  it('reads one rule a line, labels and an optional severity, and writes them back', () => {
    const text = 'alertname=OracleStale, env=prod; s1\n\n  alertname=RpcDown  ';
    const parsed = parseRules(text);
    expect(parsed).toEqual({
      rules: [
        { labels: { alertname: 'OracleStale', env: 'prod' }, severity: 'S1' },
        { labels: { alertname: 'RpcDown' }, severity: null },
      ],
    });
    if ('rules' in parsed) {
      expect(rulesText(parsed.rules)).toBe(
        'alertname=OracleStale, env=prod; S1\nalertname=RpcDown',
      );
      expect(parseRules(rulesText(parsed.rules))).toEqual(parsed);
    }
    expect(rulesText(undefined)).toBe('');
    expect(parseRules('')).toEqual({ rules: [] });
  });

  it('keeps a comma inside a value', () => {
    expect(parseRules('alertname=X, pools=a,b')).toEqual({
      rules: [{ labels: { alertname: 'X', pools: 'a,b' }, severity: null }],
    });
    expect(ruleText({ labels: { pools: 'a,b' }, severity: 'S2' })).toBe('pools=a,b; S2');
  });

  it('says which line cannot be read, and why', () => {
    expect(parseRules('alertname=X\nOracleStale')).toEqual({
      error: 'Line 2: write each label as name=value, e.g. alertname=OracleStale.',
    });
    expect(parseRules('alertname=X; urgent')).toEqual({
      error: 'Line 1: after the semicolon, write the severity: S1, S2, S3 or S4.',
    });
    expect(parseRules('=x')).toEqual({ error: 'Line 1: a label has no name before its “=”.' });
    expect(parseRules('a=1, a=2')).toEqual({ error: 'Line 1: the label a is named twice.' });
  });
});
