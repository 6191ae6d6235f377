import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const api = vi.hoisted(() => ({
  incidentView: vi.fn(),
  actOnIncident: vi.fn(),
  acknowledgeIncident: vi.fn(),
  onIncidentsChanged: vi.fn(),
  exportIncident: vi.fn(),
  getPostMortem: vi.fn(),
  savePostMortem: vi.fn(),
  escalationPreview: vi.fn(),
  listIncidents: vi.fn(),
  getAgenda: vi.fn(),
  listDecisions: vi.fn(),
  requestDecision: vi.fn(),
}));
vi.mock('../api', async (original) => ({ ...(await original<object>()), ...api }));

import { ApiError, type IncidentAction, type IncidentView, type PostMortem } from '../api';
import { toasts } from '../undo';
import { DEC, decision } from '../decisions/fixture';
import { decisions } from '../decisions';
import { localTime } from '../kit/time';
import { fixturePlan } from '../plan/fixture';
import { NOW, fixtureView, recipient, timeline } from './fixture';
import IncidentConsole from './IncidentConsole.svelte';

let changed: (() => void) | undefined;

beforeEach(() => {
  for (const fn of Object.values(api)) {
    fn.mockReset();
  }
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(NOW));
  toasts.clear();
  changed = undefined;
  api.incidentView.mockResolvedValue(fixtureView());
  api.actOnIncident.mockResolvedValue(fixtureView());
  api.onIncidentsChanged.mockImplementation((handler: () => void) => {
    changed = handler;
    return Promise.resolve(() => (changed = undefined));
  });
  api.escalationPreview.mockResolvedValue([]);
  api.listIncidents.mockResolvedValue([]);
  api.getAgenda.mockResolvedValue({ due: [], upcoming: [], nextAt: null });
  api.listDecisions.mockResolvedValue([]);
  decisions.clear();
});

afterEach(() => {
  vi.useRealTimers();
});

async function open(view: IncidentView = fixtureView()) {
  api.incidentView.mockResolvedValue(view);
  const rendered = render(IncidentConsole, { plan: fixturePlan(), id: view.incident.id });
  await waitFor(() =>
    expect(rendered.container.querySelector('[data-testid="incident-console"]')).not.toBeNull(),
  );
  const root = rendered.container;
  const q = <T extends Element = HTMLElement>(selector: string) =>
    root.querySelector<T>(selector) as T;
  const all = (selector: string) => Array.from(document.body.querySelectorAll(selector));
  const texts = (selector: string) => all(selector).map((e) => text(e));
  return { ...rendered, root, q, all, texts };
}

function text(el: Element | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** Core's refusal of what a form sent: each problem in `section`, at its field. */
function invalid(section: string, problems: [field: string, message: string][]): ApiError {
  return new ApiError(
    'invalidInput',
    `${problems.length} problems`,
    problems.map(([field, message]) => ({ location: { section, element: '', field }, message })),
  );
}

function acted(): IncidentAction[] {
  return api.actOnIncident.mock.calls.map(([id, action]) => {
    expect(id).toBe('INC-3');
    return action as IncidentAction;
  });
}

describe('IncidentConsole', () => {
  it('asks the person called to acknowledge, and the banner goes once they have', async () => {
    api.acknowledgeIncident.mockResolvedValue(fixtureView({}, { called: false }));
    const { q } = await open(fixtureView({}, { called: true }));
    expect(text(q('[data-testid="called-banner"]'))).toContain('You are called on this incident.');
    await fireEvent.click(q('[data-testid="acknowledge"]'));
    await waitFor(() => expect(q('[data-testid="called-banner"]')).toBeNull());
    expect(api.acknowledgeIncident).toHaveBeenCalledWith('INC-3');
    expect(toasts.current?.text).toBe('Acknowledged: your team sees that you have it');
  });

  it('shows nothing to acknowledge when nobody calls this person', async () => {
    const { q } = await open(fixtureView({}, { called: false }));
    expect(q('[data-testid="called-banner"]')).toBeNull();
  });

  it('keeps the banner and says why when acknowledging is refused', async () => {
    api.acknowledgeIncident.mockRejectedValue(
      new ApiError('refused', 'no escalation of INC-3 is waiting for Ben Sample'),
    );
    const { q } = await open(fixtureView({}, { called: true }));
    await fireEvent.click(q('[data-testid="acknowledge"]'));
    await waitFor(() =>
      expect(toasts.current?.text).toBe('no escalation of INC-3 is waiting for Ben Sample'),
    );
  });

  it('shows the incident: id, title, severity, phases reached with who, one page root', async () => {
    const { q, texts, root } = await open();
    expect(text(q('h1'))).toBe('INC-3 Drained pool');
    expect(text(q('.badge'))).toBe('S1 critical');
    expect(texts('[data-testid="phase-stepper"] li')).toEqual([
      `Detected ${localTime('2026-03-04T13:00:00Z')} Ada Example`,
      `Validated ${localTime('2026-03-04T13:10:00Z')} Ben Sample`,
      'Mitigated',
      'Resolved',
      'Closed',
    ]);
    expect(
      q('[data-testid="phase-stepper"] [data-phase="validated"]').getAttribute('aria-current'),
    ).toBe('step');
    expect(text(q('[data-testid="phase-next"]'))).toBe('Move to Mitigated');
    expect(text(q('[data-testid="incident-elapsed"]'))).toBe('1 h 00 min');
    expect(q('[data-testid="exercise-banner"]')).toBeNull();
    expect(document.body.querySelectorAll('[data-section]').length).toBe(1);
    expect(root.querySelectorAll('[data-row]').length).toBe(0);
    expect(root.querySelectorAll('[style]').length).toBe(0);
  });

  it('puts what is due on top: escalations first, overdue unmistakable', async () => {
    const { q, all } = await open();
    const strip = q('[data-testid="due-strip"]');
    expect(text(strip.querySelector('h2'))).toBe('Due now (2)');
    const items = all('[data-testid="due-item"]');
    expect(items.map((i) => i.getAttribute('data-kind'))).toEqual(['escalation', 'update']);
    expect(items.map((i) => text(i.querySelector('[data-testid="countdown"]')))).toEqual([
      'overdue by 50 min',
      'overdue by 12 min',
    ]);
    expect(items.every((i) => i.getAttribute('data-overdue') === 'true')).toBe(true);
    expect(text(items[0]?.querySelector('.headline'))).toBe('Notify 1 person now (validation)');
  });

  it('says calmly when nothing is due, and what comes next', async () => {
    const view = fixtureView({}, { due: [] });
    view.cadence = view.cadence.map((c) =>
      c.rule === 'users' ? { ...c, state: 'onTrack', dueAt: '2026-03-04T14:34:00Z' } : c,
    );
    const { q } = await open(view);
    expect(text(q('[data-testid="due-strip"] h2'))).toBe('Nothing due now');
    expect(text(q('[data-testid="due-next"]'))).toBe(
      'Next: Users update on Status page, due in 34 min.',
    );
  });

  it('labels an exercise unmistakably', async () => {
    const { q, all } = await open(fixtureView({ exercise: true }));
    expect(text(q('[data-testid="exercise-banner"]'))).toMatch(/^EXERCISE — a rehearsal/);
    expect(q('[data-testid="exercise-banner"]').classList.contains('exercise-stripes')).toBe(true);
    expect(all('[data-testid="exercise-label"]').map(text)).toEqual(['EXERCISE']);
  });

  it('marks checklist steps with a note, showing who and when, and decisions as links', async () => {
    const { q, all } = await open();
    const step = (id: string) => q(`[data-procedure="contain"] [data-step="${id}"]`);
    expect(text(step('war-room').querySelector('[data-testid="step-record"]'))).toBe(
      `Done by Ben Sample, ${localTime('2026-03-04T13:05:00Z')} — Signal group open`,
    );
    expect(text(q('[data-procedure="contain"] [data-testid="procedure-progress"]'))).toBe(
      '1 of 4 handled',
    );
    const needed = step('pause').querySelector('[data-testid="step-decision"]');
    expect(text(needed)).toBe('Needs decision: Pause contract Request decision');
    expect(needed?.querySelector('a')?.getAttribute('href')).toBe('#/decisions/pause');
    expect(all('[data-testid="step-decision"]').length).toBe(5);

    await fireEvent.input(step('pause').querySelector('[data-testid="step-note"]') as Element, {
      target: { value: ' via the guardian ' },
    });
    await fireEvent.click(step('pause').querySelector('[data-action="step-done"]') as Element);
    // Its decision was never requested: asked first, and Not yet leaves the step as it is.
    const ask = () => document.body.querySelector('[data-testid="confirm"]');
    expect(text(ask())).toContain(
      'It needs the decision “Pause contract”, which has not been requested.',
    );
    await fireEvent.click(ask()?.querySelector('[data-action="dismiss"]') as Element);
    expect(acted()).toEqual([]);
    await waitFor(() => expect(ask()).toBeNull());
    await fireEvent.click(step('pause').querySelector('[data-action="step-done"]') as Element);
    await waitFor(() => expect(ask()).not.toBeNull());
    await fireEvent.click(ask()?.querySelector('[data-action="confirm"]') as Element);
    await waitFor(() => expect(acted().length).toBe(1));
    await fireEvent.click(step('police').querySelector('[data-action="step-blocked"]') as Element);
    await fireEvent.click(step('war-room').querySelector('[data-action="step-open"]') as Element);
    await waitFor(() => expect(acted().length).toBe(3));
    expect(acted()).toEqual([
      {
        kind: 'markStep',
        procedure: 'contain',
        step: 'pause',
        status: 'done',
        note: 'via the guardian',
      },
      { kind: 'markStep', procedure: 'contain', step: 'police', status: 'blocked', note: '' },
      { kind: 'markStep', procedure: 'contain', step: 'war-room', status: 'open', note: '' },
    ]);
  });

  it('requests a decision from a step, then shows its live state on every step of that policy', async () => {
    const { q, all } = await open();
    const step = (procedure: string, id: string) =>
      q(`[data-procedure="${procedure}"] [data-step="${id}"] [data-testid="step-decision"]`);
    await waitFor(() => expect(api.listDecisions).toHaveBeenCalled());
    expect(all('[data-testid="request-decision"]').length).toBe(5);
    await fireEvent.click(
      step('contain', 'pause').querySelector('[data-testid="request-decision"]') as Element,
    );
    const dialog = q('[data-testid="request-dialog"]');
    expect(text(dialog.querySelector('h2'))).toBe('Request decision: Pause contract');
    expect(text(dialog.querySelector('[data-testid="request-approvers"]'))).toBe(
      'Who must approve: Ada Example, Ben Sample (optional co-signers: Chloe Demo)',
    );
    const statement = q<HTMLInputElement>('[data-testid="decision-statement"]');
    expect(statement.value).toBe('Pause the pool');
    expect(q<HTMLInputElement>('[data-testid="decision-expiry"]').value).toBe('240');

    // Core checks it: its message shows beside the statement, the dialog stays.
    api.requestDecision.mockRejectedValueOnce(
      invalid('decision request', [['statement', 'the statement is empty: write it in one line']]),
    );
    await fireEvent.input(statement, { target: { value: '   ' } });
    await fireEvent.click(q('[data-testid="decision-submit"]'));
    await waitFor(() =>
      expect(text(dialog.querySelector('[data-field-error="statement"]'))).toBe(
        'The statement is empty: write it in one line',
      ),
    );
    expect(api.requestDecision).toHaveBeenCalledTimes(1);

    api.requestDecision.mockResolvedValue(
      decision({ request: { statement: 'Pause the pool on mainnet' }, signatures: [] }),
    );
    await fireEvent.input(statement, { target: { value: ' Pause the pool on mainnet ' } });
    await fireEvent.input(q('[data-testid="decision-expiry"]'), { target: { value: '90' } });
    await fireEvent.click(q('[data-testid="decision-submit"]'));
    await waitFor(() => expect(q('[data-testid="request-dialog"]')).toBeNull());
    expect(api.requestDecision).toHaveBeenCalledWith(
      'INC-3',
      'pause',
      'Pause the pool on mainnet',
      90,
    );

    for (const [procedure, id] of [
      ['contain', 'pause'],
      ['contain', 'pause-again'],
      ['patch', 'check'],
    ] as const) {
      const shown = step(procedure, id);
      expect(shown.getAttribute('data-state')).toBe('pending');
      expect(shown.querySelector('[data-testid="request-decision"]')).toBeNull();
      expect(text(shown.querySelector('[data-testid="decision-state"]'))).toBe('Pending');
      expect(text(shown.querySelector('[data-testid="step-decision-summary"]'))).toBe(
        'waiting for Ben Sample',
      );
      expect(shown.querySelector('[data-testid="open-decision"]')?.getAttribute('href')).toBe(
        `#/decisions-log/${DEC}`,
      );
    }
    // Other policies still ask for theirs.
    expect(
      step('contain', 'police').querySelector('[data-testid="request-decision"]'),
    ).not.toBeNull();
    expect(text(q('[data-testid="toast"] .text'))).toMatch(new RegExp(`^Requested ${DEC}`));
  });

  it('offers to ask again once the decision expired', async () => {
    api.listDecisions.mockResolvedValue([decision({ state: 'expired', summary: 'expired' })]);
    const { q } = await open();
    const pause = () =>
      q('[data-procedure="contain"] [data-step="pause"] [data-testid="step-decision"]');
    await waitFor(() => expect(pause().getAttribute('data-state')).toBe('expired'));
    expect(text(pause().querySelector('[data-testid="request-decision"]'))).toBe('Request again');
  });

  it('offers no request on a closed incident', async () => {
    const { all } = await open(fixtureView({ phase: 'closed' }));
    expect(all('[data-testid="step-decision"]').length).toBe(5);
    expect(all('[data-testid="request-decision"]').length).toBe(0);
  });

  it('shows a decision requested elsewhere on no step', async () => {
    api.listDecisions.mockResolvedValue([decision({ request: { local: false } })]);
    const { q } = await open();
    await waitFor(() => expect(decisions.statuses).toHaveLength(1));
    expect(
      q(
        '[data-procedure="contain"] [data-step="pause"] [data-testid="step-decision"]',
      ).getAttribute('data-state'),
    ).toBe('none');
  });

  it('shows a refusal in the toast', async () => {
    api.actOnIncident.mockRejectedValueOnce({ code: 'refused', message: 'INC-3 is closed' });
    const { q } = await open();
    await fireEvent.click(
      q('[data-procedure="patch"] [data-step="ship"] [data-action="step-skipped"]'),
    );
    await waitFor(() => expect(text(q('[data-testid="toast"] .text'))).toBe('INC-3 is closed'));
  });

  it('keeps a bar of the phase, what is due and the parts of the page, and marks the next step', async () => {
    const { q, all } = await open();
    const bar = q('[data-testid="jumpbar"]');
    expect(text(bar.querySelector('[data-testid="jump-phase"]'))).toBe('Validated');
    expect(all('[data-jump]').map((b) => b.getAttribute('data-jump'))).toEqual([
      'escalation-panel',
      'checklists',
      'communications',
      'timeline-panel',
    ]);
    // The first step of "contain" is done: the next is its second, marked out, and only it.
    const current = all('[data-testid="step"][data-current]');
    expect(current.length).toBe(1);
    expect(current[0]?.closest('[data-procedure]')?.getAttribute('data-procedure')).toBe('contain');
    expect(current[0]?.getAttribute('data-status')).toBe('open');
    expect(current[0]?.getAttribute('aria-current')).toBe('step');
    // A procedure folds away and back.
    const fold = q('[data-procedure="patch"] [data-action="fold"]');
    expect(fold.getAttribute('aria-expanded')).toBe('true');
    await fireEvent.click(fold);
    expect(fold.getAttribute('aria-expanded')).toBe('false');
    expect(q<HTMLElement>('[data-procedure="patch"] ol').hidden).toBe(true);
    await fireEvent.click(fold);
    expect(q<HTMLElement>('[data-procedure="patch"] ol').hidden).toBe(false);
  });

  it('lists whom to tell by phase, with one-click contact and Mark notified', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const { q, all } = await open();
    expect(text(q('[data-testid="escalation-pending"]'))).toBe('2 people still to tell');
    const people = all('[data-testid="recipient"]').map((r) => [
      r.getAttribute('data-phase'),
      r.getAttribute('data-contact'),
      r.classList.contains('pending'),
    ]);
    // In the plan's order, told or not: nothing moves under the pointer after a click.
    expect(people).toEqual([
      ['detected', 'ada', false],
      ['detected', 'chloe', true],
      ['validated', 'eli', true],
    ]);
    const ada = q('[data-testid="recipient"][data-contact="ada"]');
    expect(text(ada.querySelector('[data-testid="notified"]'))).toBe(
      `✓ Told via phone by Ben Sample, ${localTime('2026-03-04T13:02:00Z')}`,
    );
    expect(ada.querySelector('[data-testid="mark-notified"]')).toBeNull();

    const chloe = q('[data-testid="recipient"][data-contact="chloe"]');
    expect(chloe.querySelector('a[data-action="email"]')?.getAttribute('href')).toBe(
      'mailto:chloe@example.com?subject=INC-3%20Drained%20pool',
    );
    const eli = q('[data-testid="recipient"][data-contact="eli"]');
    expect(eli.querySelector('a[data-action="call"]')).toBeNull();
    const copy = eli.querySelector('[data-action="copy-chat"]') as HTMLElement;
    await fireEvent.click(copy);
    expect(writeText).toHaveBeenCalledWith('@eli');
    await waitFor(() => expect(text(copy)).toBe('Copied'));
    // Copying the chat handle preselects "chat" as how Eli was told.
    expect(eli.querySelector<HTMLSelectElement>('[data-testid="notify-channel"]')?.value).toBe(
      'chat',
    );
    await fireEvent.click(eli.querySelector('[data-testid="mark-notified"]') as Element);
    await fireEvent.change(chloe.querySelector('[data-testid="notify-channel"]') as Element, {
      target: { value: 'other' },
    });
    await fireEvent.click(chloe.querySelector('[data-testid="mark-notified"]') as Element);
    await waitFor(() => expect(acted().length).toBe(2));
    expect(acted()).toEqual([
      { kind: 'markNotified', contact: 'eli', channel: 'chat' },
      { kind: 'markNotified', contact: 'chloe', channel: 'other' },
    ]);
  });

  it('calls a phone number with a tel: link', async () => {
    const view = fixtureView();
    view.incident.escalations[1]!.recipient.reach.phone = '+1 555 0199';
    const { q } = await open(view);
    expect(q('[data-contact="chloe"] a[data-action="call"]').getAttribute('href')).toBe(
      'tel:+15550199',
    );
  });

  it('moves to the next phase after showing who will have to be told', async () => {
    api.escalationPreview.mockResolvedValue([recipient('eli'), recipient('metro')]);
    const { q, all } = await open(
      fixtureView({
        phase: 'detected',
        phases: [{ phase: 'detected', at: '2026-03-04T13:00:00Z', by: 'Ada Example' }],
      }),
    );
    await fireEvent.click(q('[data-testid="phase-next"]'));
    const dialog = document.body.querySelector('[data-testid="transition-dialog"]') as HTMLElement;
    expect(text(dialog.querySelector('h2'))).toBe('Move INC-3 to Validated');
    await waitFor(() =>
      expect(all('[data-testid="transition-recipient"]').map(text)).toEqual([
        'Eli Forum — Community liaison, Extended team',
        'Metro Police — Law enforcement, Extended team',
      ]),
    );
    expect(api.escalationPreview.mock.calls).toEqual([['hack', ['validated']]]);
    await fireEvent.change(dialog.querySelector('[data-testid="transition-to"]') as Element, {
      target: { value: 'mitigated' },
    });
    await waitFor(() => expect(api.escalationPreview).toHaveBeenCalledTimes(2));
    expect(api.escalationPreview).toHaveBeenLastCalledWith('hack', ['validated', 'mitigated']);
    await waitFor(() =>
      expect(
        dialog.querySelector('[data-testid="transition-preview"]')?.getAttribute('aria-busy'),
      ).toBeNull(),
    );
    expect(all('[data-testid="transition-recipient"]').length).toBe(2);
    expect(text(dialog)).toContain('This skips Validated');
    await fireEvent.input(dialog.querySelector('[data-testid="transition-note"]') as Element, {
      target: { value: 'pause confirmed' },
    });
    await fireEvent.click(dialog.querySelector('[data-testid="transition-submit"]') as Element);
    await waitFor(() =>
      expect(acted()).toEqual([{ kind: 'transition', to: 'mitigated', note: 'pause confirmed' }]),
    );
    await waitFor(() =>
      expect(document.body.querySelector('[data-testid="transition-dialog"]')).toBeNull(),
    );
  });

  it('posts an update for the most pressing audience; core says the text is required', async () => {
    api.actOnIncident.mockRejectedValueOnce(
      invalid('update', [['text', 'an update needs its text: what is known, what is being done']]),
    );
    const { q } = await open();
    await fireEvent.click(q('[data-testid="post-update"]'));
    const dialog = document.body.querySelector('[data-testid="post-update-dialog"]') as HTMLElement;
    const rule = dialog.querySelector<HTMLSelectElement>('[data-testid="update-rule"]');
    expect(rule?.value).toBe('users');
    expect(dialog.querySelector<HTMLInputElement>('[data-testid="update-channel"]')?.value).toBe(
      'Status page',
    );
    expect(document.activeElement).toBe(dialog.querySelector('[data-testid="update-text"]'));
    // It starts from the users' template; left as it is, it is not sent.
    const area = dialog.querySelector<HTMLTextAreaElement>('[data-testid="update-text"]');
    expect(area?.value).toContain('What to do: [');
    await fireEvent.click(dialog.querySelector('[data-testid="update-submit"]') as Element);
    await waitFor(() =>
      expect(text(dialog.querySelector('[data-field-error="text"]'))).toBe(
        'Replace [what users see] with what you know, or delete that line',
      ),
    );
    expect(acted()).toEqual([]);
    await fireEvent.input(area as Element, { target: { value: '' } });
    await fireEvent.click(dialog.querySelector('[data-testid="update-submit"]') as Element);
    await waitFor(() =>
      expect(text(dialog.querySelector('[data-field-error="text"]'))).toBe(
        'An update needs its text: what is known, what is being done',
      ),
    );
    expect(dialog.querySelector('[data-testid="update-text"]')?.getAttribute('aria-invalid')).toBe(
      'true',
    );
    expect(dialog.querySelectorAll('[data-field-error]').length).toBe(1);
    expect(document.body.querySelector('[data-testid="post-update-dialog"]')).toBe(dialog);
    expect(acted()).toEqual([
      { kind: 'postUpdate', rule: 'users', audience: 'users', channel: 'Status page', text: '' },
    ]);
    api.actOnIncident.mockClear();
    await fireEvent.change(rule as Element, { target: { value: 'war-room' } });
    expect(dialog.querySelector<HTMLInputElement>('[data-testid="update-channel"]')?.value).toBe(
      'Signal group',
    );
    await fireEvent.input(dialog.querySelector('[data-testid="update-text"]') as Element, {
      target: { value: 'Pool paused. Next update 15:00.' },
    });
    await fireEvent.keyDown(dialog.querySelector('[data-testid="update-text"]') as Element, {
      key: 'Enter',
      ctrlKey: true,
    });
    await waitFor(() =>
      expect(acted()).toEqual([
        {
          kind: 'postUpdate',
          rule: 'war-room',
          audience: 'responders',
          channel: 'Signal group',
          text: 'Pool paused. Next update 15:00.',
        },
      ]),
    );
  });

  it('shows every problem core finds with an update beside its field, the rest on top', async () => {
    api.actOnIncident.mockRejectedValueOnce(
      new ApiError('invalidInput', '4 problems', [
        {
          location: { section: 'update', element: '', field: 'audience' },
          message: 'a post-mortem is published from its panel, not posted as an update',
        },
        {
          location: { section: 'update', element: '', field: 'channel' },
          message: 'say where the update was posted, e.g. “Status page”',
        },
        {
          location: { section: 'update', element: '', field: 'text' },
          message: 'an update needs its text',
        },
        {
          location: { section: 'incident', element: 'INC-3', field: 'phase' },
          message: 'INC-3 is closed',
        },
      ]),
    );
    const { q } = await open();
    await fireEvent.click(q('[data-testid="post-update"]'));
    const dialog = document.body.querySelector('[data-testid="post-update-dialog"]') as HTMLElement;
    await fireEvent.change(dialog.querySelector('[data-testid="update-rule"]') as Element, {
      target: { value: '' },
    });
    await fireEvent.input(dialog.querySelector('[data-testid="update-channel"]') as Element, {
      target: { value: '  ' },
    });
    await fireEvent.input(dialog.querySelector('[data-testid="update-text"]') as Element, {
      target: { value: '' },
    });
    await fireEvent.click(dialog.querySelector('[data-testid="update-submit"]') as Element);
    await waitFor(() => expect(dialog.querySelectorAll('[data-field-error]').length).toBe(3));
    expect(text(dialog.querySelector('[data-field-error="audience"]'))).toBe(
      'A post-mortem is published from its panel, not posted as an update',
    );
    expect(text(dialog.querySelector('[data-field-error="channel"]'))).toBe(
      'Say where the update was posted, e.g. “Status page”',
    );
    expect(text(dialog.querySelector('[data-field-error="text"]'))).toBe(
      'An update needs its text',
    );
    for (const testid of ['update-audience', 'update-channel', 'update-text']) {
      expect(dialog.querySelector(`[data-testid="${testid}"]`)?.getAttribute('aria-invalid')).toBe(
        'true',
      );
    }
    expect(text(dialog.querySelector('[data-testid="dialog-errors"] li'))).toBe('INC-3 is closed');
    expect(acted()).toEqual([
      { kind: 'postUpdate', rule: null, audience: 'users', channel: '', text: '' },
    ]);
  });

  it('shows the cadence with overdue lines, and waives an optional rule with a reason', async () => {
    const { q, all } = await open();
    const lines = all('[data-testid="cadence-line"]').map((l) => [
      l.getAttribute('data-rule'),
      l.getAttribute('data-state'),
    ]);
    expect(lines).toEqual([
      ['war-room', 'done'],
      ['users', 'overdue'],
      ['public-pm', 'notYet'],
    ]);
    expect(text(q('[data-rule="users"] [data-testid="countdown"]'))).toBe('overdue by 12 min');
    await fireEvent.click(q('[data-rule="users"] [data-action="post-update"]'));
    const dialog = document.body.querySelector('[data-testid="post-update-dialog"]') as HTMLElement;
    await fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(q('[data-rule="users"] [data-action="waive"]')).toBeNull();
    await fireEvent.click(q('[data-rule="public-pm"] [data-action="waive"]'));
    const waive = document.body.querySelector('[data-testid="waive-dialog"]') as HTMLElement;
    // Two mistakes: the reason beside its field, the rule (not a field here) at the top.
    api.actOnIncident.mockRejectedValueOnce(
      invalid('waiver', [
        ['reason', 'say why the rule is not needed this time'],
        ['rule', 'the rule `public-pm` is not optional'],
      ]),
    );
    await fireEvent.click(waive.querySelector('[data-testid="prompt-submit"]') as Element);
    await waitFor(() =>
      expect(text(waive.querySelector('[data-field-error="reason"]'))).toBe(
        'Say why the rule is not needed this time',
      ),
    );
    expect(waive.querySelector('[data-testid="prompt-text"]')?.getAttribute('aria-invalid')).toBe(
      'true',
    );
    expect(text(waive.querySelector('[data-testid="dialog-errors"]'))).toContain(
      'the rule `public-pm` is not optional',
    );
    expect(acted()).toEqual([{ kind: 'waiveCommunication', rule: 'public-pm', reason: '' }]);
    api.actOnIncident.mockClear();
    await fireEvent.input(waive.querySelector('[data-testid="prompt-text"]') as Element, {
      target: { value: 'Internal near-miss' },
    });
    await fireEvent.click(waive.querySelector('[data-testid="prompt-submit"]') as Element);
    await waitFor(() =>
      expect(acted()).toEqual([
        { kind: 'waiveCommunication', rule: 'public-pm', reason: 'Internal near-miss' },
      ]),
    );
  });

  it('marks an entry timed before the one below it as a clock set back, keeping the order', async () => {
    const entries = timeline();
    entries[2] = { ...entries[2]!, at: '2026-03-03T22:00:00Z', clockBack: true };
    const { all } = await open(fixtureView({}, { timeline: entries }));
    const shown = all('[data-testid="timeline-entry"]');
    expect(shown.map((e) => e.getAttribute('data-seq'))).toEqual(['5', '4', '3', '2', '1']);
    const marked = shown.filter((e) => e.querySelector('[data-testid="clock-back"]') !== null);
    expect(marked.map((e) => e.getAttribute('data-seq'))).toEqual(['3']);
    expect(text(marked[0]?.querySelector('[data-testid="clock-back"]'))).toBe('clock set back');
  });

  it('keeps a dated timeline, newest first, adds notes with Enter, and exports', async () => {
    api.exportIncident.mockResolvedValueOnce('/home/ada/INC-3.md').mockResolvedValueOnce(null);
    const { q, all } = await open();
    const entries = all('[data-testid="timeline"] [data-testid="timeline-entry"]');
    expect(entries.map((e) => e.getAttribute('data-seq'))).toEqual(['5', '4', '3', '2', '1']);
    expect(text(entries[4]?.querySelector('time'))).toBe(localTime('2026-03-03T23:58:00Z'));
    expect(text(entries[4])).toContain('Ada Example');
    expect(text(entries[0]?.querySelector('.detail'))).toBe('<b>Attacker</b> funded via a mixer');
    expect(entries[0]?.querySelector('b')).toBeNull();

    const note = q<HTMLInputElement>('[data-testid="note-input"]');
    await fireEvent.input(note, { target: { value: 'Bridge asked to freeze funds' } });
    await fireEvent.keyDown(note, { key: 'Enter' });
    await waitFor(() =>
      expect(acted()).toEqual([{ kind: 'addNote', text: 'Bridge asked to freeze funds' }]),
    );
    await waitFor(() => expect(note.value).toBe(''));

    await fireEvent.click(q('[data-testid="export-markdown"]'));
    await waitFor(() =>
      expect(text(q('[data-testid="toast"] .text'))).toBe('Saved /home/ada/INC-3.md'),
    );
    toasts.clear();
    await fireEvent.click(q('[data-testid="export-json"]'));
    await waitFor(() => expect(api.exportIncident).toHaveBeenCalledTimes(2));
    expect(api.exportIncident.mock.calls).toEqual([
      ['INC-3', 'markdown'],
      ['INC-3', 'json'],
    ]);
    expect(q('[data-testid="toast"]')).toBeNull();
  });

  it('adds no note core refuses, saying why beside the note field', async () => {
    api.actOnIncident.mockRejectedValueOnce(
      new ApiError('invalidInput', '2 problems', [
        {
          location: { section: 'note', element: '', field: 'text' },
          message: 'a note needs its text',
        },
        {
          location: { section: 'incident', element: 'INC-3', field: 'phase' },
          message: 'INC-3 is closed: nothing can be added',
        },
      ]),
    );
    const { q } = await open();
    const note = q<HTMLInputElement>('[data-testid="note-input"]');
    expect(q<HTMLButtonElement>('[data-testid="add-note"]').disabled).toBe(false);
    await fireEvent.keyDown(note, { key: 'Enter' });
    await waitFor(() => expect(text(q('[data-field-error="text"]'))).toBe('A note needs its text'));
    expect(note.getAttribute('aria-invalid')).toBe('true');
    expect(text(q('[data-testid="note-errors"]'))).toBe('INC-3 is closed: nothing can be added');
    expect(acted()).toEqual([{ kind: 'addNote', text: '' }]);
    await fireEvent.input(note, { target: { value: 'B' } });
    expect(q('[data-field-error="text"]')).toBeNull();
    expect(note.getAttribute('aria-invalid')).toBeNull();
  });

  it('reassigns a role', async () => {
    const { q } = await open();
    expect(q<HTMLSelectElement>('[data-testid="role-lead"]').value).toBe('ada');
    await fireEvent.change(q('[data-testid="role-scribe"]'), { target: { value: 'ben' } });
    await waitFor(() =>
      expect(acted()).toEqual([{ kind: 'assignRole', role: 'scribe', contact: 'ben' }]),
    );
  });

  it('changes the severity with a note', async () => {
    const { q } = await open();
    await fireEvent.click(q('[data-testid="change-severity"]'));
    const dialog = document.body.querySelector('[data-testid="severity-dialog"]') as HTMLElement;
    await fireEvent.change(dialog.querySelector('[data-testid="severity-choice"]') as Element, {
      target: { value: 'S2' },
    });
    await fireEvent.input(dialog.querySelector('[name="note"]') as Element, {
      target: { value: 'Losses capped' },
    });
    await fireEvent.click(dialog.querySelector('[data-testid="severity-submit"]') as Element);
    await waitFor(() =>
      expect(acted()).toEqual([{ kind: 'setSeverity', severity: 'S2', note: 'Losses capped' }]),
    );
  });

  it('asks again after every change event', async () => {
    await open();
    expect(api.incidentView).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(changed).toBeDefined());
    changed?.();
    await waitFor(() => expect(api.incidentView).toHaveBeenCalledTimes(2));
    expect(api.incidentView).toHaveBeenLastCalledWith('INC-3');
  });

  it('says so when there is no such incident', async () => {
    api.incidentView.mockRejectedValue({ code: 'notFound', message: 'no incident INC-9' });
    const { findByRole, container } = render(IncidentConsole, { plan: fixturePlan(), id: 'INC-9' });
    expect(text(await findByRole('heading', { level: 1 }))).toBe('No incident “INC-9”');
    expect(container.querySelectorAll('[data-section]').length).toBe(1);
  });
});

describe('IncidentConsole after resolution', () => {
  const resolved = () =>
    fixtureView(
      {
        phase: 'resolved',
        resolvedAt: '2026-03-04T13:40:00Z',
        phases: [
          { phase: 'detected', at: '2026-03-04T13:00:00Z', by: 'Ada Example' },
          { phase: 'resolved', at: '2026-03-04T13:40:00Z', by: 'Ada Example' },
        ],
      },
      { due: [] },
    );

  function postMortem(over: Partial<PostMortem> = {}): PostMortem {
    return {
      incident: 'INC-3',
      audience: 'internalPostMortem',
      text: '# INC-3 Drained pool\n\n## Summary\n',
      edited: false,
      updatedAt: null,
      publishedAt: null,
      dueAt: '2026-03-06T13:40:00Z',
      ...over,
    };
  }

  beforeEach(() => {
    api.getPostMortem.mockImplementation((_id: string, audience: PostMortem['audience']) =>
      Promise.resolve(postMortem({ audience })),
    );
    api.savePostMortem.mockImplementation(
      (_id: string, audience: PostMortem['audience'], saved: string) =>
        Promise.resolve(postMortem({ audience, text: saved, edited: true, updatedAt: NOW })),
    );
  });

  it('says what stays open before resolving or closing: pending decisions, unpublished post-mortems', async () => {
    api.listDecisions.mockResolvedValue([decision()]);
    await decisions.refresh();
    const { q } = await open();
    await fireEvent.click(q('[data-testid="phase-next"]'));
    const dialog = document.body.querySelector('[data-testid="transition-dialog"]') as HTMLElement;
    await fireEvent.change(dialog.querySelector('[data-testid="transition-to"]') as Element, {
      target: { value: 'resolved' },
    });
    await waitFor(() =>
      expect(text(dialog.querySelector('[data-testid="transition-loose-ends"]'))).toContain(
        `(${DEC}) is still pending: not approved, and it stays so.`,
      ),
    );
  });

  it('warns at closing of an unpublished post-mortem', async () => {
    const { q } = await open(resolved());
    await fireEvent.click(q('[data-testid="phase-next"]'));
    const confirm = document.body.querySelector('[data-testid="confirm"]') as HTMLElement;
    expect(text(confirm)).toContain('Still open:');
    expect(text(confirm)).toContain('post-mortem');
    await fireEvent.click(confirm.querySelector('[data-action="dismiss"]') as Element);
  });

  it('shows skipped phases and closes only after asking', async () => {
    const { q, texts } = await open(resolved());
    expect(texts('[data-testid="phase-stepper"] li')[1]).toBe('Validated skipped');
    expect(text(q('[data-testid="phase-next"]'))).toBe('Close incident');
    await fireEvent.click(q('[data-testid="phase-next"]'));
    const confirm = document.body.querySelector('[data-testid="confirm"]') as HTMLElement;
    expect(text(confirm.querySelector('h2'))).toBe('Close INC-3?');
    expect(api.actOnIncident).not.toHaveBeenCalled();
    await fireEvent.click(confirm.querySelector('[data-action="confirm"]') as Element);
    await waitFor(() => expect(acted()).toEqual([{ kind: 'transition', to: 'closed', note: '' }]));
    await waitFor(() => expect(document.body.querySelector('[data-testid="confirm"]')).toBeNull());
  });

  it('reopens with a reason, after asking; core’s problems go back beside the reason', async () => {
    const { q } = await open(resolved());
    await fireEvent.click(q('[data-testid="reopen"]'));
    await fireEvent.click(q('[data-testid="reopen-submit"]'));
    let confirm = document.body.querySelector('[data-testid="confirm"]') as HTMLElement;
    expect(text(confirm)).toContain('No reason given.');
    // Two mistakes: the reason beside its field, the other under the form.
    api.actOnIncident.mockRejectedValueOnce(
      invalid('reopen', [
        ['reason', 'say why it is reopened: it goes on the timeline'],
        ['phase', 'only a resolved or closed incident can be reopened'],
      ]),
    );
    await fireEvent.click(confirm.querySelector('[data-action="confirm"]') as Element);
    await waitFor(() =>
      expect(text(q('[data-field-error="reason"]'))).toBe(
        'Say why it is reopened: it goes on the timeline',
      ),
    );
    expect(document.body.querySelector('[data-testid="confirm"]')).toBeNull();
    expect(q('[data-testid="reopen-reason"]').getAttribute('aria-invalid')).toBe('true');
    expect(text(q('[data-testid="reopen-errors"]'))).toBe(
      'Only a resolved or closed incident can be reopened',
    );
    expect(acted()).toEqual([{ kind: 'reopen', reason: '' }]);
    api.actOnIncident.mockClear();
    await fireEvent.input(q('[data-testid="reopen-reason"]'), {
      target: { value: 'Outflow again' },
    });
    expect(q('[data-field-error="reason"]')).toBeNull();
    await fireEvent.click(q('[data-testid="reopen-submit"]'));
    confirm = document.body.querySelector('[data-testid="confirm"]') as HTMLElement;
    expect(text(confirm)).toContain('Reason: “Outflow again”');
    await fireEvent.click(confirm.querySelector('[data-action="confirm"]') as Element);
    await waitFor(() => expect(acted()).toEqual([{ kind: 'reopen', reason: 'Outflow again' }]));
  });

  it('asks before switching post-mortems with unsaved text, and keeps it on Stay', async () => {
    const { q } = await open(resolved());
    await waitFor(() => expect(q('[data-testid="pm-text"]')).not.toBeNull());
    const area = q<HTMLTextAreaElement>('[data-testid="pm-text"]');
    await fireEvent.input(area, { target: { value: 'Half written' } });
    await fireEvent.click(q('[data-testid="pm-tab-public"]'));
    let confirm = document.body.querySelector('[data-testid="confirm"]') as HTMLElement;
    expect(text(confirm.querySelector('h2'))).toBe('Leave this post-mortem without saving?');
    await fireEvent.click(confirm.querySelector('[data-action="dismiss"]') as Element);
    expect(q<HTMLTextAreaElement>('[data-testid="pm-text"]').value).toBe('Half written');
    expect(api.getPostMortem).not.toHaveBeenCalledWith('INC-3', 'publicPostMortem');
    await fireEvent.click(q('[data-testid="pm-tab-public"]'));
    confirm = document.body.querySelector('[data-testid="confirm"]') as HTMLElement;
    await fireEvent.click(confirm.querySelector('[data-action="confirm"]') as Element);
    await waitFor(() =>
      expect(api.getPostMortem).toHaveBeenLastCalledWith('INC-3', 'publicPostMortem'),
    );
  });

  it('previews the post-mortem as rendered Markdown, its HTML as text, keeping what was typed', async () => {
    const { q } = await open(resolved());
    await waitFor(() => expect(q('[data-testid="pm-text"]')).not.toBeNull());
    const typed = '## Timeline\n\n- **02:40** feed stale\n- <img src=x onerror=alert(1)>\n';
    await fireEvent.input(q('[data-testid="pm-text"]'), { target: { value: typed } });
    await fireEvent.click(q('[data-action="pm-preview"]'));
    const preview = q('[data-testid="pm-preview"]');
    // The renderer loads on first use.
    await waitFor(() => expect(preview.querySelector('h2')?.textContent).toBe('Timeline'));
    expect(preview.querySelector('strong')?.textContent).toBe('02:40');
    expect(preview.querySelector('img')).toBeNull();
    expect(preview.textContent).toContain('<img src=x onerror=alert(1)>');
    await fireEvent.click(q('[data-action="pm-write"]'));
    expect(q<HTMLTextAreaElement>('[data-testid="pm-text"]').value).toBe(typed);
    expect(q('[data-testid="pm-preview"]')).toBeNull();
  });

  it('edits, saves and publishes the post-mortems, publishing only after asking', async () => {
    const { q } = await open(resolved());
    await waitFor(() => expect(q('[data-testid="pm-text"]')).not.toBeNull());
    expect(api.getPostMortem).toHaveBeenCalledWith('INC-3', 'internalPostMortem');
    expect(text(q('[data-testid="pm-status"]'))).toContain(
      `Due ${localTime('2026-03-06T13:40:00Z')} — due in 1 d 23 h`,
    );
    await fireEvent.click(q('[data-testid="pm-tab-public"]'));
    await waitFor(() =>
      expect(api.getPostMortem).toHaveBeenLastCalledWith('INC-3', 'publicPostMortem'),
    );
    await waitFor(() => expect(q('[data-testid="pm-text"]')).not.toBeNull());
    const area = q<HTMLTextAreaElement>('[data-testid="pm-text"]');
    await fireEvent.input(area, { target: { value: 'We paused the pool within 4 minutes.' } });
    expect(text(q('[data-testid="pm-status"]'))).toContain('Unsaved changes');
    await fireEvent.click(q('[data-testid="pm-save"]'));
    await waitFor(() =>
      expect(api.savePostMortem).toHaveBeenCalledWith(
        'INC-3',
        'publicPostMortem',
        'We paused the pool within 4 minutes.',
      ),
    );
    // A refresh of the view must not throw away what is being written.
    await fireEvent.input(area, { target: { value: 'We paused the pool within 3 minutes.' } });
    changed?.();
    await waitFor(() => expect(api.incidentView).toHaveBeenCalledTimes(2));
    expect(q<HTMLTextAreaElement>('[data-testid="pm-text"]').value).toBe(
      'We paused the pool within 3 minutes.',
    );

    await fireEvent.click(q('[data-testid="pm-publish"]'));
    const confirm = document.body.querySelector('[data-testid="confirm"]') as HTMLElement;
    expect(text(confirm.querySelector('h2'))).toBe('Publish the public post-mortem?');
    await fireEvent.click(confirm.querySelector('[data-action="dismiss"]') as Element);
    expect(api.actOnIncident).not.toHaveBeenCalled();
    await fireEvent.click(q('[data-testid="pm-publish"]'));
    await fireEvent.click(
      document.body.querySelector('[data-testid="confirm"] [data-action="confirm"]') as Element,
    );
    await waitFor(() =>
      expect(acted()).toEqual([
        {
          kind: 'publishPostMortem',
          audience: 'publicPostMortem',
          text: 'We paused the pool within 3 minutes.',
        },
      ]),
    );
  });
  it('publishes what core accepts; an empty text is refused beside it', async () => {
    const { q } = await open(resolved());
    await waitFor(() => expect(q('[data-testid="pm-text"]')).not.toBeNull());
    const area = q<HTMLTextAreaElement>('[data-testid="pm-text"]');
    await fireEvent.input(area, { target: { value: '   ' } });
    // No rule of the panel's own keeps Publish from being pressed: core is asked.
    expect(q<HTMLButtonElement>('[data-testid="pm-publish"]').disabled).toBe(false);
    api.actOnIncident.mockRejectedValueOnce(
      invalid('postMortem', [
        ['text', 'a post-mortem needs its text'],
        ['audience', 'the internal post-mortem was published already'],
      ]),
    );
    await fireEvent.click(q('[data-testid="pm-publish"]'));
    await fireEvent.click(
      document.body.querySelector('[data-testid="confirm"] [data-action="confirm"]') as Element,
    );
    await waitFor(() =>
      expect(text(q('[data-field-error="text"]'))).toBe('A post-mortem needs its text'),
    );
    expect(document.body.querySelector('[data-testid="confirm"]')).toBeNull();
    expect(area.getAttribute('aria-invalid')).toBe('true');
    expect(text(q('[data-testid="pm-errors"] li'))).toBe(
      'The internal post-mortem was published already',
    );
    expect(acted()).toEqual([
      { kind: 'publishPostMortem', audience: 'internalPostMortem', text: '   ' },
    ]);
    expect(area.value).toBe('   ');
    await fireEvent.input(area, { target: { value: 'We paused the pool.' } });
    expect(q('[data-field-error="text"]')).toBeNull();
  });
});
