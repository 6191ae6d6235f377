import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const api = vi.hoisted(() => ({ declareIncident: vi.fn(), escalationPreview: vi.fn() }));
vi.mock('../api', async (original) => ({ ...(await original<object>()), ...api }));

import { ApiError, type Declaration } from '../api';
import { fixturePlan } from '../plan/fixture';
import DeclareDialog from './DeclareDialog.svelte';
import { approversNeeded } from './approvers';
import { fixtureView, recipient } from './fixture';

const NOTHING: Declaration = {
  issue: null,
  category: null,
  title: null,
  severity: 'S2',
  exercise: false,
  description: '',
  lead: null,
  scribe: null,
  communications: null,
};

beforeEach(() => {
  api.declareIncident.mockReset();
  api.escalationPreview.mockReset();
  api.escalationPreview.mockResolvedValue([]);
  api.declareIncident.mockResolvedValue(fixtureView());
});

function open(issue?: string) {
  const props = { plan: fixturePlan(), issue, onclose: vi.fn(), ondeclared: vi.fn() };
  const view = render(DeclareDialog, props);
  const q = <T extends HTMLElement = HTMLElement>(testid: string) =>
    view.container.querySelector<T>(`[data-testid="${testid}"]`) as T;
  return { ...view, props, q };
}

function options(select: HTMLSelectElement): string[] {
  return Array.from(select.options).map((o) => o.value);
}

describe('DeclareDialog', () => {
  it('lists the issues of two categories that share a name, each under its own heading', () => {
    const plan = fixturePlan();
    const first = plan.categories[0]!;
    const twin = { ...first, id: `${first.id}-2` as typeof first.id };
    plan.categories.push(twin);
    plan.issues.push({ ...plan.issues[0]!, id: 'twin-issue' as typeof twin.id, category: twin.id });
    const view = render(DeclareDialog, { plan, onclose: vi.fn(), ondeclared: vi.fn() });
    const groups = view.container.querySelectorAll(`optgroup[label="${first.name}"]`);
    expect(groups).toHaveLength(2);
    expect(view.container.querySelector('option[value="twin-issue"]')).not.toBeNull();
  });

  it('shows what core says is missing beside its field, and declares nothing', async () => {
    // The dialog has no rules of its own: core locates each problem by field.
    api.declareIncident.mockRejectedValueOnce(
      new ApiError('invalidInput', 'the declaration has 2 problems', [
        {
          location: { section: 'declaration', element: '', field: 'issue' },
          message: 'choose the potential issue, or declare an unplanned incident',
        },
        {
          location: { section: 'declaration', element: '', field: 'lead' },
          message: 'the incident lead `gone` is not a contact in the core or extended team',
        },
      ]),
    );
    const { q, container, props } = open();
    await fireEvent.click(q('declare-submit'));
    await waitFor(() =>
      expect(container.querySelector('[data-field-error="issue"]')?.textContent).toContain(
        'Choose the potential issue, or declare an unplanned incident',
      ),
    );
    expect(q('declare-issue').getAttribute('aria-invalid')).toBe('true');
    expect(container.querySelector('[data-field-error="lead"]')?.textContent).toContain(
      'The incident lead `gone` is not a contact',
    );
    expect(api.declareIncident).toHaveBeenCalledWith({ ...NOTHING, issue: '' });
    expect(props.ondeclared).not.toHaveBeenCalled();
  });

  it('finds an issue by searching; Enter picks the only match, the next Enter declares', async () => {
    const { q, props } = open();
    const search = q<HTMLInputElement>('declare-issue-search');
    await fireEvent.input(search, { target: { value: 'base fee' } });
    expect(options(q('declare-issue'))).toEqual(['gas', '-unplanned']);
    await fireEvent.keyDown(search, { key: 'Enter' });
    expect(q<HTMLSelectElement>('declare-issue').value).toBe('gas');
    expect(q<HTMLSelectElement>('declare-severity').value).toBe('S3');
    expect(api.declareIncident).not.toHaveBeenCalled();
    await fireEvent.keyDown(search, { key: 'Enter' });
    await waitFor(() => expect(api.declareIncident).toHaveBeenCalledTimes(1));
    expect(api.declareIncident).toHaveBeenCalledWith({ ...NOTHING, issue: 'gas', severity: 'S3' });
    await waitFor(() => expect(props.ondeclared).toHaveBeenCalledWith(fixtureView()));
  });

  it('groups the issues by category', () => {
    const { q } = open();
    const groups = Array.from(q('declare-issue').querySelectorAll('optgroup')).map((g) => [
      g.label,
      Array.from(g.querySelectorAll('option')).map((o) => o.textContent),
    ]);
    expect(groups).toEqual([
      ['Hacker attack', ['Drained pool (S1)']],
      ['Network problem', ['Gas spike (S3)']],
      ['Operational problem', ['Phishing site (S4)']],
      ['Category not in the plan', ['Stray issue (S2)']],
      ['Not in the plan', ['Unplanned incident…']],
    ]);
  });

  it('starts from the issue page’s issue, with its severity; an exercise says so', async () => {
    api.escalationPreview.mockResolvedValue([
      { ...recipient('chloe'), onCall: true },
      recipient('ada'),
    ]);
    const { q, container, getByRole } = open('drain');
    expect(q<HTMLSelectElement>('declare-issue').value).toBe('drain');
    expect(q<HTMLSelectElement>('declare-severity').value).toBe('S1');
    await waitFor(() => expect(q('declare-preview').textContent).toContain('Chloe Demo'));
    expect(q('declare-preview').textContent).toContain('Ada Example');
    expect(q('declare-preview').textContent).toContain('on call');
    // The approvers the issue's decisions need, not already on the list, are offered too.
    const plan = fixturePlan();
    const expected = approversNeeded(plan, 'drain').filter(
      (a) => a.contact !== 'chloe' && a.contact !== 'ada',
    );
    const offered = document.body.querySelector('[data-testid="declare-preview-approvers"]');
    if (expected.length > 0) {
      for (const a of expected) {
        expect(offered?.textContent).toContain(
          `${a.name} — also needed for: ${a.decisions.join(', ')}`,
        );
      }
    } else {
      expect(offered).toBeNull();
    }
    await fireEvent.click(q('declare-exercise'));
    expect(getByRole('heading', { level: 2 }).textContent).toBe('Start an exercise');
    expect(container.querySelector('header.exercise-stripes')).not.toBeNull();
    expect(q('declare-submit').textContent).toBe('Start exercise');
    await fireEvent.change(q('declare-lead'), { target: { value: 'ada' } });
    await fireEvent.change(q('declare-communications'), { target: { value: 'eli' } });
    await fireEvent.change(q('declare-severity'), { target: { value: 'S2' } });
    await fireEvent.input(q('declare-description'), { target: { value: 'Drill: 7% outflow' } });
    await fireEvent.click(q('declare-submit'));
    await waitFor(() =>
      expect(api.declareIncident).toHaveBeenCalledWith({
        ...NOTHING,
        issue: 'drain',
        severity: 'S2',
        exercise: true,
        description: 'Drill: 7% outflow',
        lead: 'ada',
        communications: 'eli',
      }),
    );
  });

  it('asks the backend whom the plan says to tell once the issue settles', async () => {
    let answer: (people: ReturnType<typeof recipient>[]) => void = () => undefined;
    api.escalationPreview.mockReturnValueOnce(new Promise((r) => (answer = r)));
    const { q } = open();
    expect(q('declare-preview').textContent).toContain('Choose the issue to see whom');
    await fireEvent.change(q('declare-issue'), { target: { value: 'gas' } });
    await fireEvent.change(q('declare-issue'), { target: { value: 'drain' } });
    expect(q('declare-preview-loading')).not.toBeNull();
    await waitFor(() => expect(api.escalationPreview).toHaveBeenCalledTimes(1));
    expect(api.escalationPreview).toHaveBeenCalledWith('hack', ['detected']);
    expect(q('declare-preview').getAttribute('aria-busy')).toBe('true');
    answer([recipient('ada')]);
    await waitFor(() => expect(q('declare-preview').textContent).toContain('Ada Example'));
    expect(q('declare-preview').getAttribute('aria-busy')).toBeNull();
    expect(q('declare-preview-loading')).toBeNull();
  });

  it('says when the plan asks nobody to be told, and when the preview failed', async () => {
    const { q } = open('gas');
    await waitFor(() =>
      expect(q('declare-preview').textContent).toContain('asks nobody to be told upon detection'),
    );
    api.escalationPreview.mockRejectedValueOnce({ code: 'internal', message: 'store is locked' });
    await fireEvent.change(q('declare-issue'), { target: { value: 'drain' } });
    await waitFor(() =>
      expect(q('declare-preview-error').textContent).toContain('store is locked'),
    );
    expect(q('declare-preview').querySelector('li')).toBeNull();
  });

  it('needs a category and a title for an unplanned incident, as core says', async () => {
    const at = (field: string, message: string) => ({
      location: { section: 'declaration', element: '', field },
      message,
    });
    api.declareIncident.mockRejectedValueOnce(
      new ApiError('invalidInput', 'the declaration has 2 problems', [
        at('category', 'an unplanned incident needs a category: choose one of ops, hack'),
        at('title', 'an unplanned incident needs a title: say in a few words what is happening'),
      ]),
    );
    const { q, container } = open();
    await fireEvent.change(q('declare-issue'), { target: { value: '-unplanned' } });
    await fireEvent.click(q('declare-submit'));
    await waitFor(() => expect(container.querySelectorAll('[data-field-error]')).toHaveLength(2));
    const errors = Array.from(container.querySelectorAll('[data-field-error]')).map((e) =>
      e.getAttribute('data-field-error'),
    );
    expect(errors).toEqual(['category', 'title']);
    expect(api.declareIncident).toHaveBeenCalledWith({ ...NOTHING, category: '' });
    await fireEvent.change(q('declare-category'), { target: { value: 'ops' } });
    await fireEvent.input(q('declare-title'), {
      target: { value: '  Wallet drainer on the app ' },
    });
    await fireEvent.keyDown(q('declare-title'), { key: 'Enter' });
    await waitFor(() =>
      expect(api.declareIncident).toHaveBeenCalledWith({
        ...NOTHING,
        category: 'ops',
        title: 'Wallet drainer on the app',
      }),
    );
  });

  it('shows what the backend refused beside the field, or at the top', async () => {
    api.declareIncident.mockRejectedValueOnce({
      code: 'invalidInput',
      message: 'invalid declaration',
      problems: [
        {
          location: { section: 'incident', element: '', field: 'lead' },
          message: 'unknown contact “zed”',
        },
        { location: { section: 'incident', element: '', field: 'x' }, message: 'odd' },
      ],
    });
    api.declareIncident.mockRejectedValueOnce({
      code: 'refused',
      message: 'the database is read-only',
      problems: [],
    });
    const { q, container, props } = open('gas');
    await fireEvent.click(q('declare-submit'));
    await waitFor(() =>
      expect(container.querySelector('[data-field-error="lead"]')?.textContent).toBe(
        'Unknown contact “zed”',
      ),
    );
    expect(q('dialog-errors').textContent).toContain('odd');
    await fireEvent.click(q('declare-submit'));
    await waitFor(() =>
      expect(q('dialog-errors').textContent).toContain('the database is read-only'),
    );
    expect(props.ondeclared).not.toHaveBeenCalled();
  });

  it('cancels with Escape', async () => {
    const { q, props } = open();
    await fireEvent.keyDown(q('declare-dialog'), { key: 'Escape' });
    expect(props.onclose).toHaveBeenCalledTimes(1);
  });
});
