import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const api = vi.hoisted(() => ({
  checkExerciseSetup: vi.fn(),
  createExercise: vi.fn(),
  updateExerciseSetup: vi.fn(),
  deleteExercise: vi.fn(),
  draftScenario: vi.fn(),
}));
vi.mock('../api', async (original) => ({ ...(await original<object>()), ...api }));

import { ApiError } from '../api';
import { fixturePlan } from '../plan/fixture';
import { exercise, scenario, setup } from './fixture';
import SetupForm from './SetupForm.svelte';

function byTestId(root: HTMLElement, id: string): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`));
}

function one<T extends HTMLElement = HTMLInputElement>(root: HTMLElement, id: string): T {
  const found = byTestId(root, id)[0];
  if (found === undefined) {
    throw new Error(`no ${id}`);
  }
  return found as T;
}

function text(el: Element | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-03-04T10:00:00'));
  for (const fn of Object.values(api)) {
    fn.mockReset();
  }
  // Core finds nothing wrong unless a test says otherwise.
  api.checkExerciseSetup.mockResolvedValue([]);
});

afterEach(() => {
  vi.useRealTimers();
});

describe('SetupForm: a new exercise', () => {
  it('builds the set-up from the form and creates the exercise', async () => {
    api.draftScenario.mockImplementation((issue: string, key: string) =>
      Promise.resolve(scenario({ key, issue })),
    );
    const created = exercise();
    api.createExercise.mockResolvedValue(created);
    const onsaved = vi.fn();
    const { container } = render(SetupForm, { plan: fixturePlan(), onsaved });

    expect(one(container, 'setup-date').value).toBe('2026-03-18');
    // Typed as YYYY-MM-DD (the webview's date picker ignored typing).
    expect(one(container, 'setup-date').type).toBe('text');
    expect(one(container, 'setup-date').placeholder).toBe('YYYY-MM-DD');
    await fireEvent.input(one(container, 'setup-title'), { target: { value: ' Spring drill ' } });
    await fireEvent.input(one(container, 'setup-date'), { target: { value: '2026-04-01' } });
    await fireEvent.change(one<HTMLSelectElement>(container, 'setup-moderator'), {
      target: { value: 'ada' },
    });
    const participants = byTestId(container, 'setup-participant') as HTMLInputElement[];
    expect(participants.map((p) => p.dataset.contact)).toEqual([
      'ada',
      'ben',
      'chloe',
      'eli',
      'metro',
    ]);
    await fireEvent.click(participants[1]!);
    await fireEvent.click(participants[3]!);
    await fireEvent.input(one(container, 'setup-scope'), { target: { value: 'Front end' } });
    await fireEvent.input(one(container, 'objective-text'), {
      target: { value: 'Escalate fast' },
    });
    await fireEvent.click(one(container, 'objective-add'));
    const objectives = byTestId(container, 'objective-text') as HTMLInputElement[];
    expect(objectives).toHaveLength(2);
    await fireEvent.input(objectives[1]!, { target: { value: 'Pause in time' } });

    // A scenario prefilled from the chosen potential issue.
    await fireEvent.change(one<HTMLSelectElement>(container, 'scenario-issue'), {
      target: { value: 'drain' },
    });
    await fireEvent.click(one(container, 'scenario-add'));
    await waitFor(() => expect(byTestId(container, 'scenario-card')).toHaveLength(1));
    expect(api.draftScenario).toHaveBeenCalledWith('drain', 'sc-1');
    const card = byTestId(container, 'scenario-card')[0]!;
    expect(card.dataset.scenario).toBe('sc-1');
    expect(one(card, 'scenario-title').value).toBe('Drained pool');
    expect((byTestId(card, 'expected-text') as HTMLInputElement[]).map((e) => e.value)).toEqual([
      'Pause the contract',
      'Tell the core team',
    ]);
    await fireEvent.click(one(card, 'inject-add'));
    const injects = byTestId(card, 'inject-title') as HTMLInputElement[];
    await fireEvent.input(injects[1]!, { target: { value: 'Press calls' } });
    await fireEvent.input(byTestId(card, 'inject-text')[1]!, {
      target: { value: 'A reporter asks.' },
    });
    await fireEvent.click(one(card, 'target-add'));
    const rows = byTestId(card, 'target-row');
    expect(rows).toHaveLength(2);
    const row = rows[1]!;
    await fireEvent.input(one(row, 'target-label'), { target: { value: 'Mitigated' } });
    await fireEvent.input(one(row, 'target-minutes'), { target: { value: '45' } });
    const objective = one<HTMLSelectElement>(row, 'target-objective');
    objective.selectedIndex = 2;
    await fireEvent.change(objective);
    expect(
      Array.from(one<HTMLSelectElement>(row, 'target-measure').options).map((o) => o.text),
    ).toContain('Everyone told on detection');

    // And one written fresh.
    await fireEvent.click(one(container, 'scenario-fresh'));
    const fresh = byTestId(container, 'scenario-card')[1]!;
    expect(fresh.dataset.scenario).toBe('sc-2');
    await fireEvent.input(one(fresh, 'scenario-title'), { target: { value: 'Lost keys' } });
    await fireEvent.input(one(fresh, 'scenario-situation'), {
      target: { value: 'The signer lost a key.' },
    });
    await fireEvent.change(one<HTMLSelectElement>(fresh, 'scenario-category'), {
      target: { value: 'ops' },
    });

    await fireEvent.click(one(container, 'setup-save'));
    await waitFor(() => expect(onsaved).toHaveBeenCalledWith(created));
    expect(api.createExercise).toHaveBeenCalledWith({
      title: 'Spring drill',
      date: '2026-04-01',
      moderator: 'ada',
      participants: ['ben', 'eli'],
      scope: 'Front end',
      objectives: [
        { key: 'obj-1', text: 'Escalate fast' },
        { key: 'obj-2', text: 'Pause in time' },
      ],
      scenarios: [
        {
          ...scenario(),
          injects: [
            { key: 'inj-1', title: 'Mixer', text: 'Funds move to a mixer.' },
            { key: 'inj-2', title: 'Press calls', text: 'A reporter asks.' },
          ],
          targets: [
            ...scenario().targets,
            {
              key: 'tgt-2',
              label: 'Mitigated',
              measure: 'mitigated',
              withinMinutes: 45,
              objective: 'obj-2',
            },
          ],
        },
        {
          key: 'sc-2',
          title: 'Lost keys',
          issue: null,
          category: 'ops',
          situation: 'The signer lost a key.',
          injects: [],
          expected: [],
          targets: [],
        },
      ],
    });
  });

  it("shows core's problems beside their fields and at the top, and sends nothing", async () => {
    // Three mistakes, as core locates them (`check_exercise_setup`): the form has no rules.
    const problem = (section: string, element: string, field: string, message: string) => ({
      location: { section, element, field },
      message,
    });
    const three = [
      problem('exercise', '', 'title', 'the exercise needs a title: say what is rehearsed'),
      problem('exercise', '', 'moderator', 'the exercise needs a moderator: choose one'),
      problem('objectives', 'obj-1', 'text', 'objective 1 has no text'),
    ];
    api.checkExerciseSetup.mockResolvedValue(three);
    const { container } = render(SetupForm, { plan: fixturePlan(), onsaved: vi.fn() });
    expect(byTestId(container, 'setup-errors')).toHaveLength(0);
    await fireEvent.click(one(container, 'setup-save'));
    await waitFor(() => expect(byTestId(container, 'setup-errors')).toHaveLength(1));
    const summary = one(container, 'setup-errors');
    expect(summary.getAttribute('role')).toBe('alert');
    const items = Array.from(summary.querySelectorAll('li')).map((li) => text(li));
    expect(items).toEqual([
      'The exercise needs a title: say what is rehearsed',
      'The exercise needs a moderator: choose one',
      'Objective 1 has no text',
    ]);
    // Each beside its own field, in core's words.
    const title = one(container, 'setup-title');
    expect(title.getAttribute('aria-invalid')).toBe('true');
    expect(text(title.parentElement)).toContain('The exercise needs a title');
    const moderator = one(container, 'setup-moderator');
    expect(moderator.getAttribute('aria-invalid')).toBe('true');
    expect(text(moderator.parentElement)).toContain('The exercise needs a moderator');
    const objective = container.querySelector('[data-objective="obj-1"] input');
    expect(objective?.getAttribute('aria-invalid')).toBe('true');
    // What was checked is what the form would send.
    expect(api.checkExerciseSetup.mock.calls[0]?.[0]).toMatchObject({ title: '', moderator: '' });
    expect(api.createExercise).not.toHaveBeenCalled();

    // Fixing a field asks core again, and its message goes.
    api.checkExerciseSetup.mockResolvedValue(three.slice(1));
    await fireEvent.input(one(container, 'setup-title'), { target: { value: 'Drill' } });
    await waitFor(() =>
      expect(one(container, 'setup-title').getAttribute('aria-invalid')).toBeNull(),
    );
    // The summary stays as the last save found it (nothing moves under the pointer) until the
    // next save, which lists what is left.
    expect(text(one(container, 'setup-errors'))).toContain('needs a title');
    await fireEvent.click(one(container, 'setup-save'));
    await waitFor(() => expect(text(one(container, 'setup-errors'))).not.toContain('title'));
    expect(text(one(container, 'setup-errors'))).toContain('needs a moderator');
    expect(api.createExercise).not.toHaveBeenCalled();
  });

  it('shows what the backend refused with the shared error summary', async () => {
    api.createExercise.mockRejectedValue(
      new ApiError('invalidInput', 'The set-up is not valid', [
        {
          location: { section: 'exercise', element: 'sc-1', field: 'issue' },
          message: 'Scenario 1 rehearses an issue the plan does not have',
        },
      ]),
    );
    const { container } = render(SetupForm, {
      plan: fixturePlan(),
      exercise: undefined,
      onsaved: vi.fn(),
    });
    await fireEvent.input(one(container, 'setup-title'), { target: { value: 'Drill' } });
    await fireEvent.change(one<HTMLSelectElement>(container, 'setup-moderator'), {
      target: { value: 'ben' },
    });
    await fireEvent.click(one(container, 'objective-remove'));
    await fireEvent.click(one(container, 'scenario-fresh'));
    await fireEvent.input(one(container, 'scenario-title'), { target: { value: 'Fresh' } });
    await fireEvent.submit(one(container, 'setup-form'));
    await waitFor(() => expect(byTestId(container, 'setup-errors')).toHaveLength(1));
    expect(text(one(container, 'setup-errors'))).toContain(
      'Scenario 1 rehearses an issue the plan does not have',
    );
    expect(api.createExercise.mock.calls[0]?.[0]).toMatchObject({
      objectives: [],
      scenarios: [{ key: 'sc-1', category: 'hack', issue: null }],
    });
  });

  it('says when the scenario could not be prefilled', async () => {
    api.draftScenario.mockRejectedValue({ code: 'notFound', message: 'No issue “drain”' });
    const { container } = render(SetupForm, { plan: fixturePlan(), onsaved: vi.fn() });
    await fireEvent.click(one(container, 'scenario-add'));
    await waitFor(() =>
      expect(text(one(container, 'setup-errors'))).toBe(
        'Could not prefill the scenario: No issue “drain”',
      ),
    );
    expect(byTestId(container, 'scenario-card')).toHaveLength(0);
  });
});

describe('SetupForm: a planned exercise', () => {
  it('saves the changes to the same exercise', async () => {
    const planned = exercise();
    api.updateExerciseSetup.mockResolvedValue(planned);
    const onsaved = vi.fn();
    const { container } = render(SetupForm, { plan: fixturePlan(), exercise: planned, onsaved });
    expect(one(container, 'setup-title').value).toBe('Spring exercise');
    expect(
      (byTestId(container, 'setup-participant') as HTMLInputElement[])
        .filter((p) => p.checked)
        .map((p) => p.dataset.contact),
    ).toEqual(['ben', 'eli']);
    await fireEvent.input(one(container, 'setup-title'), { target: { value: 'Renamed' } });
    await fireEvent.click(one(container, 'setup-save'));
    await waitFor(() => expect(onsaved).toHaveBeenCalled());
    expect(api.updateExerciseSetup).toHaveBeenCalledWith('EX-1', setup({ title: 'Renamed' }));
  });

  it('deletes only after confirming, and can be dismissed', async () => {
    api.deleteExercise.mockResolvedValue(undefined);
    const ondeleted = vi.fn();
    const { container } = render(SetupForm, {
      plan: fixturePlan(),
      exercise: exercise(),
      onsaved: vi.fn(),
      ondeleted,
    });
    await fireEvent.click(one(container, 'setup-delete'));
    const dialog = document.querySelector('[data-testid="confirm"]');
    expect(text(dialog)).toContain('Delete EX-1?');
    await fireEvent.keyDown(dialog!, { key: 'Escape' });
    expect(document.querySelector('[data-testid="confirm"]')).toBeNull();
    expect(api.deleteExercise).not.toHaveBeenCalled();

    await fireEvent.click(one(container, 'setup-delete'));
    await fireEvent.click(document.querySelector('[data-action="confirm"]')!);
    await waitFor(() => expect(ondeleted).toHaveBeenCalled());
    expect(api.deleteExercise).toHaveBeenCalledWith('EX-1');
  });

  it('removing an objective clears the targets that evidenced it', async () => {
    const planned = exercise({
      setup: setup({
        scenarios: [
          scenario({
            targets: [
              {
                key: 'tgt-1',
                label: 'Told',
                measure: 'escalation',
                withinMinutes: 10,
                objective: 'obj-1',
              },
            ],
          }),
        ],
      }),
    });
    api.updateExerciseSetup.mockResolvedValue(planned);
    const { container } = render(SetupForm, {
      plan: fixturePlan(),
      exercise: planned,
      onsaved: vi.fn(),
    });
    await fireEvent.click(one(container, 'objective-remove'));
    await fireEvent.click(one(container, 'setup-save'));
    await waitFor(() => expect(api.updateExerciseSetup).toHaveBeenCalled());
    const sent = api.updateExerciseSetup.mock.calls[0]?.[1];
    expect(sent.objectives).toEqual([]);
    expect(sent.scenarios[0].targets[0].objective).toBeNull();
  });
});
