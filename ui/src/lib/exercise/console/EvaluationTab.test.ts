import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const api = vi.hoisted(() => ({ actOnExercise: vi.fn() }));
vi.mock('../../api', async (original) => ({ ...(await original<object>()), ...api }));

import { ApiError, type ExerciseAction, type ExerciseView, type Finding } from '../../api';
import { toasts } from '../../undo';
import { fixturePlan } from '../../plan/fixture';
import { addDays, localDate } from './console';
import EvaluationTab from './EvaluationTab.svelte';
import { NOW, endedView, fixtureView, runningView } from './fixture';

beforeEach(() => {
  api.actOnExercise.mockReset();
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(NOW));
  toasts.clear();
});

afterEach(() => {
  vi.useRealTimers();
});

function finding(over: Partial<Finding> = {}): Finding {
  return {
    id: 'IMP-3',
    exercise: 'EX-1',
    scenario: 'sc-1',
    issue: 'Ben’s phone number is out of date',
    element: { section: 'coreTeam', key: 'ben' },
    correctiveAction: 'Update Ben’s phone number',
    owner: 'ada',
    due: '2026-03-01',
    createdAt: '2026-02-01T10:00:00Z',
    doneAt: null,
    ...over,
  };
}

function withFindings(findings: Finding[]): ExerciseView {
  const view = endedView();
  return { ...view, exercise: { ...view.exercise, findings } };
}

function open(view: ExerciseView) {
  const onchange = vi.fn((next: ExerciseView) => void rendered.rerender({ view: next }));
  const rendered = render(EvaluationTab, { plan: fixturePlan(), view, onchange });
  const q = <T extends Element = HTMLElement>(selector: string) =>
    document.body.querySelector<T>(selector) as T;
  const all = (selector: string) => Array.from(document.body.querySelectorAll(selector));
  return { ...rendered, q, all, onchange };
}

function text(el: Element | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

function acted(): ExerciseAction[] {
  return api.actOnExercise.mock.calls.map(([id, action]) => {
    expect(id).toBe('EX-1');
    return action as ExerciseAction;
  });
}

describe('EvaluationTab', () => {
  it('rates an objective P/S/M/U with its three texts', async () => {
    const after = endedView();
    after.exercise.ratings = [
      {
        objective: 'obj-2',
        rating: 'M',
        observations: 'Found the runbook',
        strengths: 'Clear roles',
        areasForImprovement: 'Backup number',
        ratedAt: NOW,
        ratedBy: 'Ada Example',
      },
    ];
    api.actOnExercise.mockResolvedValue(after);
    const { q, all, container } = open(endedView());
    expect(
      all('[data-testid="objective-rating"]').map((e) => e.getAttribute('data-objective')),
    ).toEqual(['obj-1', 'obj-2']);
    const card = q('[data-testid="objective-rating"][data-objective="obj-2"]');
    const buttons = Array.from(card.querySelectorAll('[data-testid="rate"]'));
    expect(buttons.map((b) => [b.getAttribute('data-rating'), text(b)])).toEqual([
      ['P', 'P Performed without challenges'],
      ['S', 'S Performed with some challenges'],
      ['M', 'M Performed with major challenges'],
      ['U', 'U Unable to be performed'],
    ]);

    // A rating must be chosen first.
    await fireEvent.click(card.querySelector('[data-testid="save-rating"]') as Element);
    expect(text(card.querySelector('[role="alert"]'))).toBe('Choose P, S, M or U first.');
    expect(api.actOnExercise).not.toHaveBeenCalled();

    await fireEvent.click(card.querySelector('[data-rating="M"]') as Element);
    expect(card.querySelector('[data-rating="M"]')?.getAttribute('aria-pressed')).toBe('true');
    expect(card.querySelector('[data-rating="P"]')?.getAttribute('aria-pressed')).toBe('false');
    await fireEvent.input(card.querySelector('[data-testid="observations"]') as Element, {
      target: { value: ' Found the runbook ' },
    });
    await fireEvent.input(card.querySelector('[data-testid="strengths"]') as Element, {
      target: { value: 'Clear roles' },
    });
    await fireEvent.input(card.querySelector('[data-testid="areas"]') as Element, {
      target: { value: 'Backup number' },
    });
    await fireEvent.click(card.querySelector('[data-testid="save-rating"]') as Element);
    await waitFor(() => expect(text(card.querySelector('[role="status"]'))).toBe('Saved'));
    expect(acted()).toEqual([
      {
        action: 'rate',
        objective: 'obj-2',
        rating: 'M',
        observations: 'Found the runbook',
        strengths: 'Clear roles',
        areasForImprovement: 'Backup number',
      },
    ]);
    expect(card.getAttribute('data-rating')).toBe('M');
    expect(container.querySelectorAll('[data-section], [data-row], [style]').length).toBe(0);
  });

  it('shows a refused rating with the shared error summary', async () => {
    api.actOnExercise.mockRejectedValue({ code: 'refused', message: 'No such objective.' });
    const { q } = open(endedView());
    const card = q('[data-testid="objective-rating"][data-objective="obj-1"]');
    await fireEvent.click(card.querySelector('[data-rating="P"]') as Element);
    await fireEvent.click(card.querySelector('[data-testid="save-rating"]') as Element);
    await waitFor(() =>
      expect(text(card.querySelector('[data-testid="rating-error"]'))).toBe(
        'The rating was not saved No such objective.',
      ),
    );
  });

  it('cannot rate or record findings before the exercise starts', () => {
    const { q, all } = open(fixtureView());
    expect(q('[data-testid="rating-not-yet"]')).not.toBeNull();
    expect(all('[data-testid="rate"]').every((b) => (b as HTMLButtonElement).disabled)).toBe(true);
    expect(q<HTMLButtonElement>('[data-testid="add-finding"]').disabled).toBe(true);
    expect(text(q('[data-testid="no-findings"]'))).toMatch(/^No findings yet/);
  });

  it('adds a finding: core’s problems beside their fields, then sent with its element', async () => {
    const saved = withFindings([finding({ id: 'IMP-4', due: '2026-04-03' })]);
    // Three mistakes, three messages, each beside its field: the dialog has no rules of its own.
    api.actOnExercise.mockRejectedValueOnce(
      new ApiError('invalidInput', 'the finding has 3 problems', [
        {
          location: { section: 'finding', element: '', field: 'issue' },
          message: 'say what went wrong',
        },
        {
          location: { section: 'finding', element: '', field: 'correctiveAction' },
          message: 'say what to do about it',
        },
        {
          location: { section: 'finding', element: '', field: 'owner' },
          message: 'choose who owns the corrective action',
        },
      ]),
    );
    api.actOnExercise.mockResolvedValue(saved);
    const { q } = open(endedView());
    await fireEvent.click(q('[data-testid="add-finding"]'));
    expect(q<HTMLInputElement>('[data-testid="finding-due"]').value).toBe(addDays(localDate(), 30));
    expect(q<HTMLSelectElement>('[data-testid="finding-element"]').disabled).toBe(true);
    expect(
      Array.from(q('[data-testid="finding-section"]').querySelectorAll('option')).map(
        (o) => o.value,
      ),
    ).toEqual([
      '',
      'issues',
      'procedures',
      'escalation',
      'coreTeam',
      'extendedTeam',
      'communications',
      'decisions',
      'categories',
    ]);
    expect(
      Array.from(q('[data-testid="finding-owner"]').querySelectorAll('option')).map((o) => o.value),
    ).toEqual(['', 'ada', 'ben', 'chloe', 'eli', 'metro']);

    await fireEvent.click(q('[data-testid="finding-save"]'));
    await waitFor(() => expect(text(q('[data-field-error="issue"]'))).toBe('Say what went wrong'));
    expect(text(q('[data-field-error="correctiveAction"]'))).toBe('Say what to do about it');
    expect(text(q('[data-field-error="owner"]'))).toBe('Choose who owns the corrective action');
    expect(document.body.querySelectorAll('[data-field-error]').length).toBe(3);
    for (const testid of ['finding-issue', 'finding-action', 'finding-owner']) {
      expect(q(`[data-testid="${testid}"]`).getAttribute('aria-invalid')).toBe('true');
    }
    expect(q('[data-testid="finding-due"]').getAttribute('aria-invalid')).toBeNull();
    expect(text(q('[data-testid="finding-errors"] p'))).toBe(
      'The finding was not saved: see the marked fields.',
    );
    expect(q('[data-testid="finding-errors"]').querySelectorAll('li').length).toBe(0);
    expect(acted()).toEqual([
      {
        action: 'addFinding',
        draft: {
          scenario: null,
          issue: '',
          element: null,
          correctiveAction: '',
          owner: '',
          due: addDays(localDate(), 30),
        },
      },
    ]);
    api.actOnExercise.mockClear();

    await fireEvent.input(q('[data-testid="finding-issue"]'), {
      target: { value: 'Ben’s phone number is out of date' },
    });
    // A changed field drops core's old word on it.
    expect(q('[data-field-error="issue"]')).toBeNull();
    expect(q('[data-field-error="owner"]')).not.toBeNull();
    await fireEvent.input(q('[data-testid="finding-action"]'), {
      target: { value: 'Update Ben’s phone number' },
    });
    await fireEvent.change(q('[data-testid="finding-owner"]'), { target: { value: 'ada' } });
    await fireEvent.change(q('[data-testid="finding-section"]'), {
      target: { value: 'procedures' },
    });
    const steps = Array.from(q('[data-testid="finding-element"]').querySelectorAll('option')).map(
      (o) => o.value,
    );
    expect(steps.slice(0, 4)).toEqual(['', 'contain', 'contain/war-room', 'contain/pause']);
    await fireEvent.change(q('[data-testid="finding-section"]'), { target: { value: 'coreTeam' } });
    await fireEvent.change(q('[data-testid="finding-element"]'), { target: { value: 'ben' } });
    await fireEvent.change(q('[data-testid="finding-due"]'), { target: { value: '2026-04-03' } });
    await fireEvent.input(q('[data-testid="finding-due"]'), { target: { value: '2026-04-03' } });
    await fireEvent.click(q('[data-testid="finding-save"]'));
    await waitFor(() => expect(q('[data-testid="finding-dialog"]')).toBeNull());
    expect(acted()).toEqual([
      {
        action: 'addFinding',
        draft: {
          scenario: null,
          issue: 'Ben’s phone number is out of date',
          element: { section: 'coreTeam', key: 'ben' },
          correctiveAction: 'Update Ben’s phone number',
          owner: 'ada',
          due: '2026-04-03',
        },
      },
    ]);
    expect(q('[data-testid="finding-row"]').getAttribute('data-finding')).toBe('IMP-4');
    expect(toasts.current?.text).toBe('Finding added to the improvement plan');
  });

  it('sends nothing it cannot send: a due day that is not a date, a section with no element', async () => {
    const { q } = open(endedView());
    await fireEvent.click(q('[data-testid="add-finding"]'));
    await fireEvent.input(q('[data-testid="finding-due"]'), { target: { value: '' } });
    await fireEvent.change(q('[data-testid="finding-section"]'), { target: { value: 'coreTeam' } });
    await fireEvent.click(q('[data-testid="finding-save"]'));
    expect(text(q('[data-field-error="due"]'))).toBe('Give the day it is due, as YYYY-MM-DD.');
    expect(text(q('[data-field-error="element"]'))).toBe(
      'Choose the element it concerns, or set the section back to “None”.',
    );
    expect(q('[data-testid="finding-due"]').getAttribute('aria-invalid')).toBe('true');
    expect(q('[data-testid="finding-element"]').getAttribute('aria-invalid')).toBe('true');
    expect(text(q('[data-testid="finding-errors"] p'))).toBe(
      'The finding is not complete: see the marked fields.',
    );
    expect(api.actOnExercise).not.toHaveBeenCalled();
    // Fixed, the marks go at once.
    await fireEvent.change(q('[data-testid="finding-element"]'), { target: { value: 'ben' } });
    expect(q('[data-field-error="element"]')).toBeNull();
    expect(q('[data-field-error="due"]')).not.toBeNull();
  });

  it('puts core’s problems about the element and scenario beside them, the rest on top', async () => {
    api.actOnExercise.mockRejectedValue(
      new ApiError('invalidInput', 'the finding has 3 problems', [
        {
          location: { section: 'finding', element: '', field: 'element' },
          message: 'coreTeam/ben is not in the plan',
        },
        {
          location: { section: 'finding', element: '', field: 'scenario' },
          message: 'the exercise has no scenario `sc-9`',
        },
        {
          location: { section: 'exercise', element: '', field: 'status' },
          message: 'the exercise is archived',
        },
      ]),
    );
    const { q } = open(endedView());
    await fireEvent.click(q('[data-testid="add-finding"]'));
    await fireEvent.change(q('[data-testid="finding-section"]'), { target: { value: 'coreTeam' } });
    await fireEvent.change(q('[data-testid="finding-element"]'), { target: { value: 'ben' } });
    await fireEvent.click(q('[data-testid="finding-save"]'));
    await waitFor(() =>
      expect(text(q('[data-field-error="element"]'))).toBe('CoreTeam/ben is not in the plan'),
    );
    expect(text(q('[data-field-error="scenario"]'))).toBe('The exercise has no scenario `sc-9`');
    expect(q('[data-testid="finding-scenario"]').getAttribute('aria-invalid')).toBe('true');
    expect(text(q('[data-testid="finding-errors"]'))).toBe(
      'The finding was not saved: see the marked fields. The exercise is archived',
    );
    expect(q('[data-testid="finding-dialog"]')).not.toBeNull();
  });

  it('keeps the form open with the backend’s refusal', async () => {
    api.actOnExercise.mockRejectedValue({
      code: 'invalidInput',
      message: 'The element coreTeam/ben is not in the plan.',
    });
    const { q } = open(endedView());
    await fireEvent.click(q('[data-testid="add-finding"]'));
    await fireEvent.input(q('[data-testid="finding-issue"]'), { target: { value: 'X' } });
    await fireEvent.input(q('[data-testid="finding-action"]'), { target: { value: 'Y' } });
    await fireEvent.change(q('[data-testid="finding-owner"]'), { target: { value: 'ben' } });
    await fireEvent.click(q('[data-testid="finding-save"]'));
    await waitFor(() =>
      expect(text(q('[data-testid="finding-errors"]'))).toBe(
        'The finding was not saved The element coreTeam/ben is not in the plan.',
      ),
    );
    expect(q('[data-testid="finding-dialog"]')).not.toBeNull();
  });

  it('lists findings open first, overdue highlighted, with a link to the element', () => {
    const { all } = open(
      withFindings([
        finding({ id: 'IMP-1', doneAt: '2026-03-03T10:00:00Z', element: null }),
        finding({
          id: 'IMP-2',
          due: '2026-06-01',
          element: { section: 'procedures', key: 'contain/pause' },
        }),
        finding({ id: 'IMP-3' }),
      ]),
    );
    const rows = all('[data-testid="finding-row"]');
    expect(rows.map((r) => [r.getAttribute('data-finding'), r.getAttribute('data-open')])).toEqual([
      ['IMP-3', 'true'],
      ['IMP-2', 'true'],
      ['IMP-1', 'false'],
    ]);
    expect(rows.map((r) => r.getAttribute('data-overdue'))).toEqual(['true', 'false', 'false']);
    expect(text(rows[0]?.querySelector('[data-testid="finding-due-label"]'))).toBe(
      'Due 1 Mar 2026 — overdue',
    );
    expect(text(rows[0])).toContain('Owner: Ada Example');
    const link = rows[0]?.querySelector('[data-testid="finding-open-element"]');
    expect(link?.getAttribute('href')).toBe('#/core-team/ben');
    expect(text(link)).toBe('Core response team: Ben Sample (COO)');
    expect(
      rows[1]?.querySelector('[data-testid="finding-open-element"]')?.getAttribute('href'),
    ).toBe('#/procedures/contain');
    expect(rows[2]?.querySelector('[data-testid="finding-open-element"]')).toBeNull();
    expect(
      rows[2]?.querySelector('[data-testid="finding-done"]')?.getAttribute('aria-pressed'),
    ).toBe('true');
  });

  it('marks a finding done, edits it and removes it after asking', async () => {
    const view = withFindings([finding()]);
    api.actOnExercise
      .mockResolvedValueOnce(withFindings([finding({ doneAt: NOW })]))
      .mockResolvedValueOnce(withFindings([finding({ doneAt: NOW, issue: 'Edited' })]))
      .mockResolvedValueOnce(withFindings([]));
    const { q } = open(view);
    await fireEvent.click(q('[data-testid="finding-done"]'));
    await waitFor(() =>
      expect(q('[data-testid="finding-row"]').getAttribute('data-open')).toBe('false'),
    );

    await fireEvent.click(q('[data-testid="finding-edit"]'));
    expect(q<HTMLTextAreaElement>('[data-testid="finding-issue"]').value).toBe(
      'Ben’s phone number is out of date',
    );
    expect(q<HTMLSelectElement>('[data-testid="finding-section"]').value).toBe('coreTeam');
    expect(q<HTMLSelectElement>('[data-testid="finding-element"]').value).toBe('ben');
    expect(q<HTMLSelectElement>('[data-testid="finding-scenario"]').value).toBe('sc-1');
    await fireEvent.input(q('[data-testid="finding-issue"]'), { target: { value: 'Edited' } });
    await fireEvent.click(q('[data-testid="finding-save"]'));
    await waitFor(() => expect(q('[data-testid="finding-dialog"]')).toBeNull());

    await fireEvent.click(q('[data-testid="finding-remove"]'));
    expect(text(q('[data-testid="confirm"] h2'))).toBe('Remove IMP-3?');
    await fireEvent.click(q('[data-action="confirm"]'));
    await waitFor(() => expect(q('[data-testid="finding-row"]')).toBeNull());
    expect(acted()).toEqual([
      { action: 'completeFinding', id: 'IMP-3', done: true },
      {
        action: 'editFinding',
        id: 'IMP-3',
        draft: {
          scenario: 'sc-1',
          issue: 'Edited',
          element: { section: 'coreTeam', key: 'ben' },
          correctiveAction: 'Update Ben’s phone number',
          owner: 'ada',
          due: '2026-03-01',
        },
      },
      { action: 'removeFinding', id: 'IMP-3' },
    ]);
  });

  it('shows the measured times beside the targets above the ratings', () => {
    const { q, all, container } = open(endedView());
    const panel = q('[data-testid="measured-panel"]');
    // On top of the tab, before the first objective.
    expect(container.querySelector('[data-testid="evaluation-tab"] > *')).toBe(panel);
    expect(text(panel.querySelector('h2'))).toBe('Measured times');
    expect(
      all('[data-testid="measured-run"]').map((t) => [
        t.getAttribute('data-scenario'),
        text(t.querySelector('caption')),
      ]),
    ).toEqual([
      ['sc-1', 'Drained pool'],
      ['sc-2', 'Gas spike'],
    ]);
    const first = q('[data-testid="measured-run"][data-scenario="sc-1"]');
    const rows = Array.from(first.querySelectorAll('[data-testid="measured-row"]'));
    expect(rows.map((r) => [r.getAttribute('data-measure'), r.getAttribute('data-met')])).toEqual([
      ['detection', 'none'],
      ['escalation', 'true'],
      ['decisionQuorum', 'none'],
      ['action', 'false'],
    ]);
    expect(rows.map((r) => Array.from(r.children).map(text).join(' | '))).toEqual([
      'Detection | +00:00 | — | —',
      'Everyone told on detection | +04:00 | ≤ 15 min Core team told | Met',
      'Decision quorum reached | +07:00 | — | —',
      'Decided action taken | +08:00 | ≤ 5 min Pool paused | Not met',
    ]);
    const second = q('[data-testid="measured-run"][data-scenario="sc-2"]');
    expect(
      Array.from(second.querySelectorAll('[data-testid="measured-row"]')).map(
        (r) => `${r.getAttribute('data-measure')} ${text(r.children[1])}`,
      ),
    ).toEqual([
      'detection +00:00',
      'escalation did not happen',
      'decisionQuorum did not happen',
      'action did not happen',
    ]);
    expect(container.querySelectorAll('[style]').length).toBe(0);
  });

  it('marks a running scenario’s times provisional and shows the phases once measured', () => {
    const { q, all } = open(
      runningView(
        {},
        {
          measured: [
            { measure: 'escalation', seconds: 120n },
            { measure: 'decisionQuorum', seconds: null },
            { measure: 'action', seconds: null },
            { measure: 'mitigated', seconds: 540n },
            { measure: 'resolved', seconds: null },
          ],
          targets: [
            {
              target: 'tgt-2',
              label: 'Pool paused',
              measure: 'action',
              withinMinutes: 30,
              measuredSeconds: null,
              met: null,
            },
          ],
        },
      ),
    );
    expect(text(q('[data-testid="measured-run"] caption'))).toBe('Drained pool Still running');
    const rows = all('[data-testid="measured-row"]');
    expect(rows.map((r) => [r.getAttribute('data-measure'), r.getAttribute('data-met')])).toEqual([
      ['detection', 'none'],
      ['escalation', 'none'],
      ['decisionQuorum', 'none'],
      ['action', 'pending'],
      ['mitigated', 'none'],
    ]);
    expect(text(rows[3]?.children[1])).toBe('not yet');
    expect(text(rows[3]?.children[3])).toBe('Pending');
    expect(Array.from(rows[4]?.children ?? []).map(text)).toEqual([
      'Mitigated',
      '+09:00',
      '—',
      '—',
    ]);
  });

  it('says so when no scenario has run yet', () => {
    const { q, all } = open(fixtureView());
    expect(all('[data-testid="measured-row"]')).toEqual([]);
    expect(text(q('[data-testid="measured-empty"]'))).toMatch(/^No scenario has run yet/);
  });

  it('shows each objective the targets that evidence it, with what was measured', () => {
    const { q } = open(endedView());
    const evidence = (objective: string) =>
      Array.from(
        q(`[data-testid="objective-rating"][data-objective="${objective}"]`).querySelectorAll(
          '[data-testid="objective-evidence"] [data-testid="evidence-row"]',
        ),
      );
    const first = evidence('obj-1');
    expect(first.map((r) => [r.getAttribute('data-target'), r.getAttribute('data-met')])).toEqual([
      ['tgt-1', 'true'],
    ]);
    expect(Array.from(first[0]?.children ?? []).map(text)).toEqual([
      'Core team told Everyone told on detection',
      'Drained pool',
      '≤ 15 min',
      '+04:00',
      'Met',
    ]);
    const second = evidence('obj-2');
    expect(second.map((r) => r.getAttribute('data-met'))).toEqual(['false']);
    expect(Array.from(second[0]?.children ?? []).map(text)).toEqual([
      'Pool paused Decided action taken',
      'Drained pool',
      '≤ 5 min',
      '+08:00',
      'Not met',
    ]);
  });

  it('lists a target whose scenario has not run as not run yet', () => {
    const { q } = open(fixtureView());
    const row = q(
      '[data-objective="obj-1"] [data-testid="objective-evidence"] [data-testid="evidence-row"]',
    );
    expect(row.getAttribute('data-met')).toBe('pending');
    expect(text(row.children[3])).toBe('—');
    expect(text(row.children[4])).toBe('Not run yet');
  });

  it('says nothing about evidence when no target is linked to the objective', () => {
    const view = endedView();
    view.exercise.setup.scenarios = view.exercise.setup.scenarios.map((scenario) => ({
      ...scenario,
      targets: scenario.targets.map((t) => ({
        ...t,
        objective: t.objective === 'obj-2' ? null : t.objective,
      })),
    }));
    const { q } = open(view);
    expect(q('[data-objective="obj-1"] [data-testid="objective-evidence"]')).not.toBeNull();
    const card = q('[data-testid="objective-rating"][data-objective="obj-2"]');
    expect(card.querySelector('[data-testid="objective-evidence"]')).toBeNull();
    expect(card.querySelector('table')).toBeNull();
  });
});
