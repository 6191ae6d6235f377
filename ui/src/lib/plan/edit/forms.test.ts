import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../api', async (original) => ({
  ...(await original<typeof import('../../api')>()),
  applyEdit: vi.fn(),
  checkPlanEdit: vi.fn(),
  undoRevision: vi.fn(),
}));

import {
  ApiError,
  applyEdit,
  checkPlanEdit,
  type Plan,
  type PlanEdit,
  type Problem,
} from '../../api';
import { toasts, undo } from '../../undo';
import EscalationPage from '../EscalationPage.svelte';
import { fixturePlan } from '../fixture';
import CategoryForm from './CategoryForm.svelte';
import CommunicationForm from './CommunicationForm.svelte';
import ContactForm from './ContactForm.svelte';
import { browserTimeZone } from '../../kit/dates';
import DecisionForm from './DecisionForm.svelte';
import ExercisePolicyForm from './ExercisePolicyForm.svelte';
import IssueForm from './IssueForm.svelte';
import MetaForm from './MetaForm.svelte';
import ProcedureForm from './ProcedureForm.svelte';
import { act, choose, find, form, revision, type } from './testing';

const apply = vi.mocked(applyEdit);
const check = vi.mocked(checkPlanEdit);

/** A problem as core locates it. */
function problem(section: string, element: string, field: string, message: string): Problem {
  return { location: { section, element, field }, message };
}

/** Stands in for core's check: `judge` says what core would find in the edit sent. */
function coreFinds(judge: (edit: PlanEdit) => Problem[]): void {
  check.mockImplementation((edit) => Promise.resolve(judge(edit)));
}

// Written by `ssh-keygen -t ed25519`; `ssh-keygen -l` printed the fingerprint.
const ADA_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHnNQZjo3LIzfqVOJxNvtlMdR3YMpAOOxcMQt/EKW1up ada@example';
const ADA_PRINT = 'SHA256:GMK64jesVDTwBg+oRQwReJG/0lzWRQm4BQPxBT3QkRg';
const ADA_OLD_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK81lEiRaUBkLMeio4Yy4Iu5zqFsGifIspo5cCaVW2t5 ada@old-laptop';
const ADA_OLD_PRINT = 'SHA256:ffOTDTLXTNH3aILz5MV+utWj+BIADKGf/NrLGbZIEe0';

beforeEach(() => {
  apply.mockReset();
  apply.mockResolvedValue(revision(1));
  check.mockReset();
  check.mockResolvedValue([]);
  undo.clear();
  toasts.clear();
});

async function saved(): Promise<PlanEdit> {
  await waitFor(() => expect(apply).toHaveBeenCalledTimes(1));
  return apply.mock.calls[0]?.[0] as PlanEdit;
}

describe('ProcedureForm', () => {
  it('edits, adds, moves and removes steps, saving the whole procedure', async () => {
    const plan = fixturePlan();
    const onclose = vi.fn();
    render(ProcedureForm, { plan, procedure: plan.procedures[1], onclose });
    const sheet = form();
    const ship = find(sheet, '[data-step="ship"]');
    await type(ship, 'action', 'Ship the patch');
    await type(ship, 'expectedMinutes', '45');
    await choose(ship, 'decision', '');
    await act(sheet, 'add-step');
    const added = find(sheet, '[data-step="step"]');
    await type(added, 'action', 'Tell users');
    expect(find(sheet, '[data-step="tell-users"]')).toBe(added);
    await act(added, 'move-step-up');
    await act(find(sheet, '[data-step="tell-users"]'), 'move-step-up');
    await act(find(sheet, '[data-step="check"]'), 'remove-step');
    await act(sheet, 'save');
    const edit = await saved();
    expect(edit).toEqual({
      kind: 'saveProcedure',
      procedure: {
        ...fixturePlan().procedures[1],
        steps: [
          {
            id: 'tell-users',
            action: 'Tell users',
            how: '',
            tools: '',
            test: '',
            expectedMinutes: null,
            decision: null,
          },
          {
            ...fixturePlan().procedures[1]?.steps[0],
            action: 'Ship the patch',
            expectedMinutes: 45,
            decision: null,
          },
        ],
      },
      position: null,
    });
    await waitFor(() => expect(onclose).toHaveBeenCalled());
  });

  it('shows a step problem beside that step', async () => {
    apply.mockRejectedValue(
      new ApiError('invalidInput', 'invalid', [
        {
          location: { section: 'procedures', element: 'patch/ship', field: 'action' },
          message: 'must not be empty',
        },
      ]),
    );
    const plan = fixturePlan();
    render(ProcedureForm, { plan, procedure: plan.procedures[1], onclose: vi.fn() });
    const sheet = form();
    await act(sheet, 'save');
    const error = await waitFor(() => find(sheet, '[data-step="ship"] [data-field-error]'));
    expect(error.textContent).toBe('must not be empty');
    expect(sheet.querySelectorAll('[data-field-error]').length).toBe(1);
    expect(find<HTMLInputElement>(sheet, '[data-step="ship"] [name="action"]').value).toBe(
      'Ship the fix',
    );
  });

  it('maps a new procedure to issues and makes its id from the title', async () => {
    const plan = fixturePlan();
    render(ProcedureForm, { plan, issue: 'phish', onclose: vi.fn() });
    const sheet = form();
    await type(sheet, 'title', 'Take down the site');
    await fireEvent.click(find(sheet, '[name="issues"][value="gas"]'));
    await act(sheet, 'save');
    expect(await saved()).toEqual({
      kind: 'saveProcedure',
      procedure: {
        id: 'take-down-the-site',
        title: 'Take down the site',
        summary: '',
        issues: ['gas', 'phish'],
        steps: [],
      },
      position: null,
    });
  });
});

describe('other forms', () => {
  it('saves a communication rule with its timing', async () => {
    const plan = fixturePlan();
    render(CommunicationForm, { plan, onclose: vi.fn() });
    const sheet = form();
    coreFinds((edit) =>
      edit.kind === 'saveCommunication' &&
      edit.rule.timing.kind === 'everyHours' &&
      edit.rule.timing.hours === 0
        ? [problem('communications', edit.rule.id, 'timing', 'every 0 hours: use at least 1')]
        : [],
    );
    await choose(sheet, 'audience', 'users');
    await choose(sheet, 'timing', 'everyHours');
    await type(sheet, 'hours', '0');
    await waitFor(() =>
      expect(find(sheet, '[data-field-error="hours"]').textContent).toBe(
        'every 0 hours: use at least 1',
      ),
    );
    await type(sheet, 'hours', '2');
    await waitFor(() => expect(sheet.querySelector('[data-field-error="hours"]')).toBeNull());
    await type(sheet, 'channel', 'Status page');
    await choose(sheet, 'responsible', 'eli');
    await act(sheet, 'save');
    expect(await saved()).toEqual({
      kind: 'saveCommunication',
      rule: {
        id: 'users-status-page',
        audience: 'users',
        timing: { kind: 'everyHours', hours: 2 },
        channel: 'Status page',
        responsible: 'eli',
        categories: [],
        optional: false,
        notes: '',
      },
      position: null,
    });
  });

  it('saves a cadence of whole minutes: core judges the range, the form what is no number', async () => {
    const plan = fixturePlan();
    coreFinds((edit) =>
      edit.kind === 'saveCommunication' &&
      edit.rule.timing.kind === 'everyMinutes' &&
      edit.rule.timing.minutes === 0
        ? [problem('communications', edit.rule.id, 'timing', 'every 0 minutes: use at least 1')]
        : [],
    );
    render(CommunicationForm, { plan, onclose: vi.fn() });
    const sheet = form();
    await choose(sheet, 'audience', 'internal');
    await choose(sheet, 'timing', 'everyMinutes');
    await type(sheet, 'channel', 'War room');
    await type(sheet, 'minutes', '0');
    await waitFor(() =>
      expect(find(sheet, '[data-field-error="minutes"]').textContent).toBe(
        'every 0 minutes: use at least 1',
      ),
    );
    for (const bad of ['1.5', '', '-2']) {
      await type(sheet, 'minutes', bad);
      expect(find(sheet, '[data-field-error="minutes"]').textContent, bad).toBe(
        'Write a whole number.',
      );
    }
    // What cannot be sent is not sent.
    await act(sheet, 'save');
    expect(apply).not.toHaveBeenCalled();
    await type(sheet, 'minutes', '1');
    await waitFor(() => expect(sheet.querySelector('[data-field-error="minutes"]')).toBeNull());
    await act(sheet, 'save');
    expect(await saved()).toEqual({
      kind: 'saveCommunication',
      rule: {
        id: 'internal-war-room',
        audience: 'internal',
        timing: { kind: 'everyMinutes', minutes: 1 },
        channel: 'War room',
        responsible: null,
        categories: [],
        optional: false,
        notes: '',
      },
      position: null,
    });
  });

  it('keeps an existing rule’s minutes when editing it', async () => {
    const plan = fixturePlan();
    const rule = {
      ...plan.communications[1]!,
      timing: { kind: 'everyMinutes' as const, minutes: 15 },
    };
    render(CommunicationForm, { plan, rule, onclose: vi.fn() });
    const sheet = form();
    expect(find<HTMLInputElement>(sheet, '[name="minutes"]').value).toBe('15');
    expect(find<HTMLSelectElement>(sheet, '[name="timing"]').value).toBe('everyMinutes');
  });

  it('checks a decision policy’s approvers as they are chosen', async () => {
    const plan = fixturePlan();
    render(DecisionForm, { plan, decision: plan.decisions[0], onclose: vi.fn() });
    const sheet = form();
    coreFinds((edit) => {
      if (edit.kind !== 'saveDecision') {
        return [];
      }
      const d = edit.decision;
      const found: Problem[] = [];
      if (d.additionalNeeded > d.additional.length) {
        const msg = `asks for ${d.additionalNeeded} additional approvers but lists ${d.additional.length}`;
        found.push(problem('decisions', d.id, 'additionalNeeded', msg));
      }
      if (d.required.includes('ben') && d.additional.includes('ben')) {
        const msg = 'Ben Sample (`ben`) is both a required and an additional approver: keep one';
        found.push(problem('decisions', d.id, 'additional', msg));
      }
      return found;
    });
    await type(sheet, 'additionalNeeded', '3');
    await waitFor(() =>
      expect(find(sheet, '[data-field-error="additionalNeeded"]').textContent).toBe(
        'asks for 3 additional approvers but lists 2',
      ),
    );
    await fireEvent.click(find(sheet, '[name="required"][value="ben"]'));
    await waitFor(() =>
      expect(find(sheet, '[data-field-error="additional"]').textContent).toContain(
        'Ben Sample (`ben`) is both',
      ),
    );
    // Core was asked about the form as it stood, saving nothing.
    expect(check.mock.lastCall?.[0]).toMatchObject({
      kind: 'saveDecision',
      decision: { additionalNeeded: 3 },
    });
    expect(apply).not.toHaveBeenCalled();
  });

  it('saves whether attested approvals count toward a decision policy', async () => {
    const plan = fixturePlan();
    render(DecisionForm, { plan, decision: plan.decisions[1], onclose: vi.fn() });
    const sheet = form();
    const box = find<HTMLInputElement>(sheet, '[name="attestedAllowed"]');
    expect(box.checked).toBe(false);
    await fireEvent.click(box);
    await act(sheet, 'save');
    expect(await saved()).toEqual({
      kind: 'saveDecision',
      decision: { ...plan.decisions[1], attestedAllowed: true },
      position: null,
    });
  });

  it('shows an allowed attested approval as ticked, and a new policy without it', async () => {
    const plan = fixturePlan();
    const police = render(DecisionForm, { plan, decision: plan.decisions[2], onclose: vi.fn() });
    expect(find<HTMLInputElement>(form(), '[name="attestedAllowed"]').checked).toBe(true);
    police.unmount();
    render(DecisionForm, { plan, onclose: vi.fn() });
    expect(find<HTMLInputElement>(form(), '[name="attestedAllowed"]').checked).toBe(false);
  });

  it('shows core’s located words beside three fields as they are typed, saving nothing', async () => {
    const plan = fixturePlan();
    coreFinds((edit) => {
      if (edit.kind !== 'saveCoreMember') {
        return [];
      }
      const m = edit.member;
      const found: Problem[] = [];
      if (m.name.trim() === '') {
        found.push(problem('core team', m.id, 'name', "is empty: write the person's name"));
      }
      if (m.reach.email?.includes('?')) {
        const msg = `\`${m.reach.email}\` has \`?\`: write one address only, such as name@example.com`;
        found.push(problem('core team', m.id, 'email', msg));
      }
      if (m.categories.length === 0) {
        found.push(problem('core team', m.id, 'categories', 'is empty: choose a category'));
      }
      // About another element: never beside this form's fields while typing.
      found.push(problem('issues', 'gas', 'title', 'is empty: give the issue a title'));
      return found;
    });
    render(ContactForm, { plan, team: 'core', contact: plan.coreTeam[0], onclose: vi.fn() });
    const sheet = form();
    await type(sheet, 'name', ' ');
    await type(sheet, 'email', 'ada@example.com?bcc=eve@evil.example');
    await fireEvent.click(find(sheet, '[name="categories"][value="hack"]'));
    await fireEvent.click(find(sheet, '[name="categories"][value="net"]'));
    await waitFor(() => expect(sheet.querySelectorAll('[data-field-error]').length).toBe(3));
    const said = (f: string) => find(sheet, `[data-field-error="${f}"]`).textContent;
    expect(said('name')).toBe("is empty: write the person's name");
    expect(said('email')).toBe(
      '`ada@example.com?bcc=eve@evil.example` has `?`: write one address only, such as name@example.com',
    );
    expect(said('categories')).toBe('is empty: choose a category');
    expect(sheet.querySelector('[data-testid="form-errors"]')).toBeNull();
    expect(apply).not.toHaveBeenCalled();
    // Fixing a field clears its word once core has been asked again.
    await type(sheet, 'name', 'Ada Example');
    await waitFor(() => expect(sheet.querySelector('[data-field-error="name"]')).toBeNull());
  });

  it('keeps a core member’s signing keys as they are and shows them read-only', async () => {
    const plan = fixturePlan();
    const member = {
      ...plan.coreTeam[0]!,
      publicKey: ADA_KEY,
      retiredKeys: [{ key: ADA_OLD_KEY, retiredFrom: '2026-02-01T08:00:00Z' }],
    };
    plan.coreTeam[0] = member;
    render(ContactForm, { plan, team: 'core', contact: member, onclose: vi.fn() });
    const sheet = form();
    const keys = find(sheet, '[data-testid="signing-keys"]');
    await waitFor(() =>
      expect(keys.textContent?.replace(/\s+/g, ' ').trim()).toBe(
        `Signing key: ${ADA_PRINT} Retired keys: ${ADA_OLD_PRINT} from 2026-02-01 08:00 UTC`,
      ),
    );
    expect(sheet.querySelector('input[name="publicKey"], input[name="retiredKeys"]')).toBeNull();
    await type(sheet, 'role', 'CEO and signer');
    await act(sheet, 'save');
    expect(await saved()).toEqual({
      kind: 'saveCoreMember',
      member: { ...member, role: 'CEO and signer' },
      position: null,
    });
  });

  it('maps exercise policy problems to their fields', async () => {
    apply.mockRejectedValue(
      new ApiError('invalidInput', 'invalid', [
        {
          location: { section: 'exercise policy', element: '', field: 'sessionHours' },
          message: '30 is out of range 1 to 24',
        },
      ]),
    );
    render(ExercisePolicyForm, { plan: fixturePlan(), onclose: vi.fn() });
    const sheet = form();
    await type(sheet, 'sessionHours', '30');
    await act(sheet, 'save');
    await waitFor(() =>
      expect(find(sheet, '[data-field-error="sessionHours"]').textContent).toBe(
        '30 is out of range 1 to 24',
      ),
    );
  });

  it('sets up an on-call rotation on the escalation page', async () => {
    const { container } = render(EscalationPage, { plan: fixturePlan() });
    expect(container.querySelectorAll('[data-row]').length).toBe(2);
    await act(find(container, '[data-rotation="hack"]'), 'add-rotation');
    const sheet = form();
    expect(find<HTMLInputElement>(sheet, '[name="timeZone"]').value).toBe(browserTimeZone());
    await act(find(sheet, '[data-member="chloe"]'), 'member-up');
    await choose(sheet, 'handoverDay', 'friday');
    await type(sheet, 'handoverTime', '17:30');
    await type(sheet, 'timeZone', 'Europe/Berlin');
    await type(sheet, 'startsOn', '2026-02-06');
    await act(sheet, 'save');
    expect(await saved()).toEqual({
      kind: 'saveRotation',
      rotation: {
        category: 'hack',
        members: ['chloe', 'ada'],
        handoverDay: 'friday',
        handoverTime: '17:30:00',
        timeZone: 'Europe/Berlin',
        startsOn: '2026-02-06',
        overrides: [],
      },
    });
  });

  it('sets a missing escalation rule', async () => {
    const { container } = render(EscalationPage, { plan: fixturePlan() });
    await act(container, 'add');
    const sheet = form();
    await choose(sheet, 'core', 'uponValidation');
    await choose(sheet, 'extended', 'never');
    await act(sheet, 'save');
    expect(await saved()).toEqual({
      kind: 'saveEscalation',
      rule: { category: 'ops', core: 'uponValidation', extended: 'never', pageAfterMinutes: null },
    });
  });

  it('sets how long the person on call has before the backup is paged', async () => {
    const plan = fixturePlan();
    const { container } = render(EscalationPage, { plan });
    expect(find(container, '[data-row="hack"] [data-testid="paging"]').textContent?.trim()).toBe(
      'Backup after 5 min unanswered',
    );
    await act(find(container, '[data-row="net"]'), 'edit');
    const sheet = form();
    await type(sheet, 'pageAfterMinutes', '2.5');
    expect(find(sheet, '[data-field-error="pageAfterMinutes"]').textContent).toBe(
      'Write a whole number, or leave it empty.',
    );
    await type(sheet, 'pageAfterMinutes', '10');
    await act(sheet, 'save');
    expect(await saved()).toEqual({
      kind: 'saveEscalation',
      rule: { category: 'net', core: 'uponDetection', extended: 'never', pageAfterMinutes: 10 },
    });
  });
});

// Each form sends what it holds, blank text included, and shows every problem core finds beside
// its field: no rule of core's is written again in the form.
type Mistakes = {
  form: string;
  mount: (plan: Plan) => void;
  /** The inputs emptied before saving. */
  blank: string[];
  /** Core's answer: where each problem is and what it says. */
  problems: Problem[];
  /** Where each message must show: the input, and the error beside it. */
  beside: { input: string; error: string }[];
};

const MISTAKES: Mistakes[] = [
  {
    form: 'IssueForm',
    mount: (plan) => render(IssueForm, { plan, issue: plan.issues[0], onclose: vi.fn() }),
    blank: ['[name="title"]', '[name="signal"]', '[name="source"]'],
    problems: [
      problem('issues', 'drain', 'title', 'give the issue a title'),
      problem('issues', 'drain', 'signal', 'say what shows the problem'),
      problem('issues', 'drain', 'source', 'say where it is monitored'),
    ],
    beside: [
      { input: '[name="title"]', error: '[data-field-error="title"]' },
      { input: '[name="signal"]', error: '[data-field-error="signal"]' },
      { input: '[name="source"]', error: '[data-field-error="source"]' },
    ],
  },
  {
    form: 'MetaForm',
    mount: (plan) => render(MetaForm, { plan, onclose: vi.fn() }),
    blank: ['[name="name"]', '[name="organisation"]'],
    problems: [
      problem('plan', '', 'name', 'give the plan a name'),
      problem('plan', '', 'organisation', 'must not be empty'),
    ],
    beside: [
      { input: '[name="name"]', error: '[data-field-error="name"]' },
      { input: '[name="organisation"]', error: '[data-field-error="organisation"]' },
    ],
  },
  {
    form: 'CommunicationForm',
    mount: (plan) =>
      render(CommunicationForm, { plan, rule: plan.communications[1], onclose: vi.fn() }),
    blank: ['[name="channel"]'],
    problems: [
      problem('communications', 'users', 'channel', 'say where it goes'),
      problem('communications', 'users', 'notes', 'must not be empty'),
    ],
    beside: [
      { input: '[name="channel"]', error: '[data-field-error="channel"]' },
      { input: '[name="notes"]', error: '[data-field-error="notes"]' },
    ],
  },
  {
    form: 'ProcedureForm',
    mount: (plan) =>
      render(ProcedureForm, { plan, procedure: plan.procedures[1], onclose: vi.fn() }),
    blank: ['[name="title"]', '[data-step="ship"] [name="action"]'],
    problems: [
      problem('procedures', 'patch', 'title', 'give the procedure a title'),
      problem('procedures', 'patch/ship', 'action', 'must not be empty'),
    ],
    beside: [
      { input: '[name="title"]', error: '[data-field-error="title"]' },
      {
        input: '[data-step="ship"] [name="action"]',
        error: '[data-step="ship"] [data-field-error="action"]',
      },
    ],
  },
  {
    form: 'CategoryForm',
    mount: (plan) => render(CategoryForm, { plan, category: plan.categories[0], onclose: vi.fn() }),
    blank: ['[name="name"]', '[name="description"]'],
    problems: [
      problem('categories', 'hack', 'name', 'give the category a name'),
      problem('categories', 'hack', 'description', 'must not be empty'),
    ],
    beside: [
      { input: '[name="name"]', error: '[data-field-error="name"]' },
      { input: '[name="description"]', error: '[data-field-error="description"]' },
    ],
  },
  {
    form: 'DecisionForm',
    mount: (plan) => render(DecisionForm, { plan, decision: plan.decisions[0], onclose: vi.fn() }),
    blank: ['[name="title"]', '[name="description"]'],
    problems: [
      problem('decisions', 'upgrade', 'title', 'say what is decided'),
      problem('decisions', 'upgrade', 'description', 'must not be empty'),
    ],
    beside: [
      { input: '[name="title"]', error: '[data-field-error="title"]' },
      { input: '[name="description"]', error: '[data-field-error="description"]' },
    ],
  },
  {
    form: 'ContactForm',
    mount: (plan) =>
      render(ContactForm, { plan, team: 'core', contact: plan.coreTeam[0], onclose: vi.fn() }),
    blank: ['[name="name"]', '[name="role"]'],
    problems: [
      problem('core team', 'ada', 'name', 'give their name'),
      problem('core team', 'ada', 'role', 'must not be empty'),
    ],
    beside: [
      { input: '[name="name"]', error: '[data-field-error="name"]' },
      { input: '[name="role"]', error: '[data-field-error="role"]' },
    ],
  },
];

describe('blank text in the plan forms', () => {
  it.each(MISTAKES)(
    '$form sends it and shows each of core’s problems beside its field',
    async ({ mount, blank, problems, beside }) => {
      apply.mockRejectedValue(new ApiError('invalidInput', 'the plan has problems', problems));
      mount(fixturePlan());
      const sheet = form();
      for (const input of blank) {
        await fireEvent.input(find(sheet, input), { target: { value: '' } });
      }
      // The form says nothing of its own about the empty text.
      expect(sheet.querySelectorAll('[data-field-error]').length).toBe(0);
      await act(sheet, 'save');
      await waitFor(() => expect(apply).toHaveBeenCalledTimes(1));
      await waitFor(() =>
        expect(sheet.querySelectorAll('[data-field-error]').length).toBe(problems.length),
      );
      beside.forEach(({ input, error }, i) => {
        expect(find(sheet, error).textContent).toBe(problems[i]?.message);
        expect(find(sheet, input).getAttribute('aria-invalid')).toBe('true');
      });
      expect(find(sheet, '[data-testid="form-errors"]').textContent).toContain(
        'See the marked fields.',
      );
    },
  );
});
