import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const api = vi.hoisted(() => ({
  actOnExercise: vi.fn(),
  openParticipantWindow: vi.fn(),
}));
vi.mock('../../api', async (original) => ({ ...(await original<object>()), ...api }));

import type { ExerciseAction, ExerciseView } from '../../api';
import { fixturePlan } from '../../plan/fixture';
import { NOW, endedView, fixtureView, runningView } from './fixture';
import RunConsole from './RunConsole.svelte';
import { tick } from 'svelte';

beforeEach(() => {
  for (const fn of Object.values(api)) {
    fn.mockReset();
  }
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(NOW));
  api.openParticipantWindow.mockResolvedValue(undefined);
});

afterEach(() => {
  vi.useRealTimers();
});

function open(view: ExerciseView) {
  const onchange = vi.fn((next: ExerciseView) => void rendered.rerender({ view: next }));
  const rendered = render(RunConsole, { plan: fixturePlan(), view, onchange });
  const root = rendered.container;
  const q = <T extends Element = HTMLElement>(selector: string) =>
    document.body.querySelector<T>(selector) as T;
  const all = (selector: string) => Array.from(document.body.querySelectorAll(selector));
  return { ...rendered, root, q, all, onchange };
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

async function typeLine(input: HTMLInputElement, line: string) {
  await fireEvent.input(input, { target: { value: line } });
  await fireEvent.keyDown(input, { key: 'Enter', code: 'Enter' });
}

describe('RunConsole', () => {
  it('starts a planned exercise; scenarios cannot start before it does', async () => {
    const running = fixtureView({ status: 'running', startedAt: NOW });
    api.actOnExercise.mockResolvedValue(running);
    const { q, all, root, onchange } = open(fixtureView());
    expect(
      all('[data-testid="start-scenario"]').map((b) => b.getAttribute('data-scenario')),
    ).toEqual(['sc-1', 'sc-2']);
    expect(
      all('[data-testid="start-scenario"]').every((b) => (b as HTMLButtonElement).disabled),
    ).toBe(true);
    expect(q('[data-testid="log-input"]')).toBeNull();
    await fireEvent.click(q('[data-testid="start-exercise"]'));
    await waitFor(() => expect(onchange).toHaveBeenCalledWith(running));
    expect(acted()).toEqual([{ action: 'start' }]);
    expect(q('[data-testid="start-exercise"]')).toBeNull();
    expect(
      q<HTMLButtonElement>('[data-testid="start-scenario"][data-scenario="sc-1"]').disabled,
    ).toBe(false);
    expect(q('[data-testid="end-exercise"]')).not.toBeNull();
    // Inside the exercise page: no page root of its own, no inline styles.
    expect(root.querySelectorAll('[data-section]').length).toBe(0);
    expect(root.querySelectorAll('[data-row]').length).toBe(0);
    expect(root.querySelectorAll('[style]').length).toBe(0);
  });

  it('starts the next scenario and puts the cursor in the log', async () => {
    api.actOnExercise.mockResolvedValue(runningView());
    const { q } = open(fixtureView({ status: 'running', startedAt: NOW }));
    const start = q('[data-testid="start-scenario"][data-scenario="sc-1"]');
    expect(start.classList.contains('primary')).toBe(true);
    await fireEvent.click(start);
    await waitFor(() => expect(q('[data-testid="log-input"]')).not.toBeNull());
    expect(acted()).toEqual([{ action: 'startScenario', scenario: 'sc-1' }]);
    await waitFor(() => expect(document.activeElement).toBe(q('[data-testid="log-input"]')));
    // While it runs, no other scenario can start.
    expect(
      q<HTMLButtonElement>('[data-testid="start-scenario"][data-scenario="sc-2"]').disabled,
    ).toBe(true);
  });

  it('shows the running scenario: ticking clock, situation for the moderator, incident link', async () => {
    vi.useRealTimers();
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(new Date(NOW));
    const { q } = open(runningView());
    expect(text(q('[data-testid="scenario-clock"]'))).toBe('10:00');
    await vi.advanceTimersByTimeAsync(2000);
    await tick();
    expect(text(q('[data-testid="scenario-clock"]'))).toBe('10:02');
    expect(text(q('[data-testid="situation-text"]'))).toBe(
      'The outflow alert fires: 8% of the pool left in ten minutes.',
    );
    expect(text(q('[data-testid="situation-hidden"]'))).toBe('Moderator only');
    const link = q('[data-testid="open-incident"]');
    expect(link.getAttribute('href')).toBe('#/incidents/INC-7');
    expect(text(q('[data-testid="incident-phase"]'))).toBe('Validated');
    expect(text(q('[data-testid="scenario-console"] h2'))).toBe('Drained pool');
    expect(
      Array.from(document.querySelectorAll('[data-testid="expected-item"]')).map((e) => [
        e.getAttribute('data-expected'),
        text(e.querySelector('.expected-number')),
      ]),
    ).toEqual([
      ['exp-1', '#1'],
      ['exp-2', '#2'],
      ['exp-3', '#3'],
    ]);
  });

  it('shows h:mm:ss past an hour, and a stopped clock once the scenario ended', () => {
    const long = open(runningView({ startedAt: '2026-03-04T12:30:05Z' }));
    expect(text(long.q('[data-testid="scenario-clock"]'))).toBe('1:29:55');
    long.unmount();
    const { q } = open(endedView());
    expect(text(q('[data-testid="scenario-clock"]'))).toBe('20:00');
    expect(q('[data-testid="log-input"]')).toBeNull();
    expect(q('[data-testid="end-scenario"]')).toBeNull();
    expect(q('[data-testid="open-incident"]').getAttribute('href')).toBe('#/incidents/INC-8');
  });

  it('reveals the situation and declares injects by button, showing when', async () => {
    api.actOnExercise
      .mockResolvedValueOnce(runningView({ revealedAt: '2026-03-04T13:51:00Z' }))
      .mockResolvedValueOnce(
        runningView({
          revealedAt: '2026-03-04T13:51:00Z',
          injects: [{ inject: 'inj-2', at: '2026-03-04T13:53:10Z' }],
        }),
      );
    const { q, all } = open(runningView());
    await fireEvent.click(q('[data-testid="reveal-situation"]'));
    await waitFor(() => expect(q('[data-testid="reveal-situation"]')).toBeNull());
    expect(q('[data-testid="situation-hidden"]')).toBeNull();
    await fireEvent.click(
      q('[data-testid="inject-card"][data-inject="inj-2"] [data-testid="declare-inject"]'),
    );
    await waitFor(() =>
      expect(
        q('[data-testid="inject-card"][data-inject="inj-2"]').getAttribute('data-declared'),
      ).toBe('true'),
    );
    expect(acted()).toEqual([
      { action: 'revealSituation', scenario: 'sc-1' },
      { action: 'declareInject', scenario: 'sc-1', inject: 'inj-2' },
    ]);
    expect(text(q('[data-inject="inj-2"] [data-testid="inject-at"]'))).toBe('Declared +03:10');
    expect(all('[data-testid="declare-inject"]').length).toBe(1);
    expect(document.activeElement).toBe(q('[data-testid="log-input"]'));
  });

  it('logs with Enter in the current kind, "#N " linking expected action N', async () => {
    api.actOnExercise.mockResolvedValue(runningView());
    const { q } = open(runningView());
    const input = q<HTMLInputElement>('[data-testid="log-input"]');
    await typeLine(input, '#2 Paused the pool');
    expect(input.value).toBe('');
    await waitFor(() => expect(api.actOnExercise).toHaveBeenCalledTimes(1));
    await fireEvent.click(q('[data-testid="log-kind"][data-kind="did"]'));
    expect(q('[data-testid="log-kind"][data-kind="did"]').getAttribute('aria-pressed')).toBe(
      'true',
    );
    expect(q('[data-testid="log-kind"][data-kind="said"]').getAttribute('aria-pressed')).toBe(
      'false',
    );
    await waitFor(() => expect(document.activeElement).toBe(input));
    await typeLine(input, 'Called the auditors');
    await waitFor(() => expect(api.actOnExercise).toHaveBeenCalledTimes(2));
    expect(acted()).toEqual([
      { action: 'log', scenario: 'sc-1', kind: 'said', text: 'Paused the pool', expected: 'exp-2' },
      { action: 'log', scenario: 'sc-1', kind: 'did', text: 'Called the auditors', expected: null },
    ]);
    await waitFor(() => expect(document.activeElement).toBe(input));
  });

  it('refuses an expected action number out of range inline, logging nothing', async () => {
    const { q } = open(runningView());
    const input = q<HTMLInputElement>('[data-testid="log-input"]');
    await typeLine(input, '#7 Did something');
    expect(text(q('[data-testid="log-error"]'))).toBe(
      'There is no expected action #7: use #1 to #3.',
    );
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.value).toBe('#7 Did something');
    expect(api.actOnExercise).not.toHaveBeenCalled();
    await fireEvent.input(input, { target: { value: '#1 Opened it' } });
    expect(q('[data-testid="log-error"]')).toBeNull();
  });

  it('puts a refused entry back in the input with the reason', async () => {
    api.actOnExercise.mockRejectedValue({ code: 'refused', message: 'The scenario has ended.' });
    const { q } = open(runningView());
    const input = q<HTMLInputElement>('[data-testid="log-input"]');
    await typeLine(input, 'Too late');
    await waitFor(() =>
      expect(text(q('[data-testid="log-error"]'))).toBe('Not logged: The scenario has ended.'),
    );
    expect(input.value).toBe('Too late');
  });

  it('sends quick entries one after the other, in the order typed', async () => {
    let finish: (view: ExerciseView) => void = () => {};
    api.actOnExercise
      .mockImplementationOnce(() => new Promise((resolve) => (finish = resolve)))
      .mockResolvedValue(runningView());
    const { q } = open(runningView());
    const input = q<HTMLInputElement>('[data-testid="log-input"]');
    await typeLine(input, 'First');
    await typeLine(input, 'Second');
    await waitFor(() => expect(api.actOnExercise).toHaveBeenCalledTimes(1));
    expect(input.value).toBe('');
    finish(runningView());
    await waitFor(() => expect(api.actOnExercise).toHaveBeenCalledTimes(2));
    expect(acted().map((a) => (a.action === 'log' ? a.text : a.action))).toEqual([
      'First',
      'Second',
    ]);
  });

  it('switches kind with Alt+S/D/N and declares inject N with Alt+N, before the app sees it', async () => {
    api.actOnExercise.mockResolvedValue(
      runningView({ injects: [{ inject: 'inj-1', at: '2026-03-04T13:59:00Z' }] }),
    );
    const app = vi.fn();
    document.addEventListener('keydown', app);
    try {
      const { q } = open(runningView());
      const input = q<HTMLInputElement>('[data-testid="log-input"]');
      const pressed = (kind: string) =>
        q(`[data-testid="log-kind"][data-kind="${kind}"]`).getAttribute('aria-pressed');
      await fireEvent.keyDown(input, { key: 'd', code: 'KeyD', altKey: true });
      expect(pressed('did')).toBe('true');
      await fireEvent.keyDown(input, { key: 'n', code: 'KeyN', altKey: true });
      expect(pressed('note')).toBe('true');
      await fireEvent.keyDown(document.body, { key: 's', code: 'KeyS', altKey: true });
      expect(pressed('said')).toBe('true');
      await fireEvent.keyDown(input, { key: '1', code: 'Digit1', altKey: true });
      await waitFor(() =>
        expect(q('[data-inject="inj-1"]').getAttribute('data-declared')).toBe('true'),
      );
      expect(acted()).toEqual([{ action: 'declareInject', scenario: 'sc-1', inject: 'inj-1' }]);
      expect(app).not.toHaveBeenCalled();

      // Declared already, or a number the deck does not have: said, nothing sent.
      await fireEvent.keyDown(input, { key: '1', code: 'Digit1', altKey: true });
      expect(text(q('[data-testid="run-error"] span'))).toBe(
        'Inject 1 (“Funds move to a mixer”) is already declared.',
      );
      await fireEvent.keyDown(input, { key: '5', code: 'Digit5', altKey: true });
      expect(text(q('[data-testid="run-error"] span'))).toBe(
        'There is no inject 5: this scenario has 2.',
      );
      expect(api.actOnExercise).toHaveBeenCalledTimes(1);
    } finally {
      document.removeEventListener('keydown', app);
    }
  });

  it('leaves Alt+digit to the app when no scenario runs', async () => {
    const app = vi.fn();
    document.addEventListener('keydown', app);
    try {
      open(endedView());
      await fireEvent.keyDown(document.body, { key: '1', code: 'Digit1', altKey: true });
      expect(app).toHaveBeenCalledTimes(1);
      expect(api.actOnExercise).not.toHaveBeenCalled();
    } finally {
      document.removeEventListener('keydown', app);
    }
  });

  it('lists the log newest first with offsets and the expected action it counts as', () => {
    const { all } = open(
      runningView(
        {
          log: [
            {
              seq: 3,
              at: '2026-03-04T13:51:05Z',
              author: 'Ada Example',
              kind: 'said',
              text: 'Open the war room',
              expected: 'exp-1',
            },
            {
              seq: 4,
              at: '2026-03-04T13:57:00Z',
              author: 'Ada Example',
              kind: 'note',
              text: 'Ben hesitates',
              expected: null,
            },
          ],
        },
        {
          expected: [
            {
              key: 'exp-1',
              text: 'Open the war room',
              status: 'done',
              takenAt: '2026-03-04T13:51:05Z',
              offsetSeconds: 65n,
            },
            {
              key: 'exp-2',
              text: 'Pause the pool',
              status: 'missed',
              takenAt: null,
              offsetSeconds: null,
            },
            {
              key: 'exp-3',
              text: 'Tell the police',
              status: 'missed',
              takenAt: null,
              offsetSeconds: null,
            },
          ],
        },
      ),
    );
    const entries = all('[data-testid="log-entry"]');
    expect(entries.map((e) => e.getAttribute('data-kind'))).toEqual(['note', 'said']);
    expect(entries.map(text)).toEqual([
      '+07:00 Note Ben hesitates',
      '+01:05 Said Open the war room ✓ #1 Open the war room',
    ]);
    expect(all('[data-testid="expected-item"]').map((e) => e.getAttribute('data-taken'))).toEqual([
      'true',
      'false',
      'false',
    ]);
    expect(text(all('[data-testid="expected-item"]')[0]?.querySelector('.tick'))).toBe('✓');
  });

  it('ends the scenario at once, and the exercise after asking', async () => {
    api.actOnExercise
      .mockResolvedValueOnce(runningView({ endedAt: NOW }))
      .mockResolvedValueOnce(endedView());
    const { q } = open(runningView());
    await fireEvent.click(q('[data-testid="end-scenario"]'));
    await waitFor(() => expect(q('[data-testid="end-scenario"]')).toBeNull());
    await fireEvent.click(q('[data-testid="end-exercise"]'));
    const dialog = q('[data-testid="confirm"]');
    expect(text(dialog.querySelector('h2'))).toBe('End EX-1?');
    expect(text(dialog.querySelector('.message'))).toContain(
      'One scenario has not run and will not.',
    );
    await fireEvent.click(q('[data-action="confirm"]'));
    await waitFor(() => expect(q('[data-testid="confirm"]')).toBeNull());
    expect(acted()).toEqual([{ action: 'endScenario', scenario: 'sc-1' }, { action: 'end' }]);
    expect(q('[data-testid="end-exercise"]')).toBeNull();
  });

  it('keeps the question open with the reason when ending is refused; dismissing sends nothing', async () => {
    api.actOnExercise.mockRejectedValue({ code: 'refused', message: 'Already ended.' });
    const { q } = open(runningView());
    await fireEvent.click(q('[data-testid="end-exercise"]'));
    await fireEvent.click(q('[data-action="dismiss"]'));
    expect(q('[data-testid="confirm"]')).toBeNull();
    expect(api.actOnExercise).not.toHaveBeenCalled();
    await fireEvent.click(q('[data-testid="end-exercise"]'));
    await fireEvent.click(q('[data-action="confirm"]'));
    await waitFor(() =>
      expect(text(q('[data-testid="confirm"] [role="alert"]'))).toBe('Already ended.'),
    );
  });

  it('leaves the focus alone when a fresh view of the same scenario arrives', async () => {
    const { q, rerender } = open(runningView());
    await waitFor(() => expect(document.activeElement).toBe(q('[data-testid="log-input"]')));
    await fireEvent.click(q('[data-testid="end-exercise"]'));
    const dialog = q('[data-testid="confirm"]');
    expect(dialog.contains(document.activeElement)).toBe(true);
    await rerender({ view: runningView({ revealedAt: NOW }) });
    await tick();
    expect(dialog.contains(document.activeElement)).toBe(true);
  });

  it('opens the participants’ window and says so when it cannot', async () => {
    const { q } = open(runningView());
    await fireEvent.click(q('[data-testid="open-participant"]'));
    expect(api.openParticipantWindow).toHaveBeenCalledWith('EX-1');
    api.openParticipantWindow.mockRejectedValue({ code: 'internal', message: 'no display' });
    await fireEvent.click(q('[data-testid="open-participant"]'));
    await waitFor(() =>
      expect(text(q('[data-testid="run-error"] span'))).toBe(
        'Could not open the participants’ window: no display',
      ),
    );
  });

  it('shows a refused one-click action above the console', async () => {
    api.actOnExercise.mockRejectedValue({ code: 'refused', message: 'Another scenario runs.' });
    const { q } = open(fixtureView({ status: 'running', startedAt: NOW }));
    await fireEvent.click(q('[data-testid="start-scenario"][data-scenario="sc-1"]'));
    await waitFor(() =>
      expect(text(q('[data-testid="run-error"] span'))).toBe('Another scenario runs.'),
    );
  });
});
