import { describe, expect, it } from 'vitest';

import type { IncidentSummary } from '../api';
import { quitQuestion } from './quit';

function summary(id: string, phase: IncidentSummary['phase'], exercise = false): IncidentSummary {
  return { id, title: `Title ${id}`, phase, exercise } as IncidentSummary;
}

describe('quitQuestion', () => {
  it('asks only while a real incident is open, naming it and saying reminders stop', () => {
    expect(quitQuestion(undefined)).toBeUndefined();
    expect(quitQuestion([])).toBeUndefined();
    expect(
      quitQuestion([summary('INC-1', 'closed'), summary('INC-2', 'resolved')]),
    ).toBeUndefined();
    expect(quitQuestion([summary('INC-3', 'detected', true)])).toBeUndefined();
    const asked = quitQuestion([summary('INC-4', 'mitigated'), summary('INC-5', 'closed')]);
    expect(asked?.message).toBe(
      'INC-4 Title INC-4 is open. Once Muster quits, its reminders and pop-ups stop until ' +
        'Muster runs again. Closing the window instead keeps them coming.',
    );
  });

  it('names three and counts the rest', () => {
    const open = ['1', '2', '3', '4', '5'].map((n) => summary(`INC-${n}`, 'detected'));
    expect(quitQuestion(open)?.message).toMatch(
      /^INC-1 Title INC-1, INC-2 Title INC-2, INC-3 Title INC-3 and 2 more are open\. Once Muster quits, their reminders/,
    );
  });
});
