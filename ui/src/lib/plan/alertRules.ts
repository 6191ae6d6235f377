// An issue's alert rules as people write them: one rule a line, the labels an alert must carry
// (`alertname=OracleStale, env=prod`) and, after a semicolon, the severity the incident opens
// with (`; S1`). Parsing says what cannot be sent; what the plan allows (label names, one issue
// per set of labels) is core's to say.
import type { AlertRule, Severity } from '../api';

const SEVERITIES: readonly Severity[] = ['S1', 'S2', 'S3', 'S4'];

/** One rule as a line: `alertname=OracleStale, env=prod; S1`. */
export function ruleText(rule: AlertRule): string {
  const labels = Object.entries(rule.labels)
    .map(([name, value]) => `${name}=${value ?? ''}`)
    .join(', ');
  return rule.severity === null ? labels : `${labels}; ${rule.severity}`;
}

/** The rules, one a line. */
export function rulesText(rules: readonly AlertRule[] | undefined): string {
  return (rules ?? []).map(ruleText).join('\n');
}

/** The rules a text holds, or why it cannot be read (with the line). Blank lines are skipped. */
export function parseRules(text: string): { rules: AlertRule[] } | { error: string } {
  const rules: AlertRule[] = [];
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '') {
      continue;
    }
    const at = `Line ${index + 1}`;
    let body = line;
    let severity: Severity | null = null;
    const semicolon = line.lastIndexOf(';');
    if (semicolon >= 0) {
      const after = line
        .slice(semicolon + 1)
        .trim()
        .toUpperCase();
      if (!SEVERITIES.includes(after as Severity)) {
        return { error: `${at}: after the semicolon, write the severity: S1, S2, S3 or S4.` };
      }
      severity = after as Severity;
      body = line.slice(0, semicolon);
    }
    const labels: Record<string, string> = {};
    let last: string | undefined;
    for (const piece of body.split(',')) {
      const eq = piece.indexOf('=');
      if (eq < 0) {
        if (last === undefined) {
          return { error: `${at}: write each label as name=value, e.g. alertname=OracleStale.` };
        }
        // A comma inside a value: it belongs to the label before.
        labels[last] = `${labels[last]},${piece}`;
        continue;
      }
      const name = piece.slice(0, eq).trim();
      if (name === '') {
        return { error: `${at}: a label has no name before its “=”.` };
      }
      if (name in labels) {
        return { error: `${at}: the label ${name} is named twice.` };
      }
      labels[name] = piece.slice(eq + 1).trim();
      last = name;
    }
    rules.push({ labels, severity });
  }
  return { rules };
}
