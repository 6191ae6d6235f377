import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const api = vi.hoisted(() => ({
  updateTargets: vi.fn(),
  setUpdateTarget: vi.fn(),
  onPlanChanged: vi.fn(),
}));
vi.mock('../api', async (original) => ({ ...(await original<object>()), ...api }));

import { ApiError, type UpdateTarget } from '../api';
import { fixturePlan } from '../plan/fixture';
import UpdateTargets from './UpdateTargets.svelte';

async function button(root: HTMLElement, css: string): Promise<Element> {
  return waitFor(() => {
    const found = root.querySelector(css);
    expect(found).not.toBeNull();
    return found!;
  });
}

function text(el: Element | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

beforeEach(() => {
  for (const fn of Object.values(api)) {
    fn.mockReset();
  }
  api.onPlanChanged.mockResolvedValue(() => undefined);
});

describe('UpdateTargets', () => {
  it('lists each rule as posted by hand until set up; the secret goes with the save only', async () => {
    const plan = fixturePlan();
    const rule = plan.communications[0]!.id;
    const sent: UpdateTarget = { rule, kind: 'slack', shown: 'hooks.slack.com' };
    api.updateTargets.mockResolvedValueOnce([]).mockResolvedValue([sent]);
    api.setUpdateTarget.mockResolvedValue([sent]);
    const { container, findAllByTestId, getByRole } = render(UpdateTargets, { plan });
    const rows = await findAllByTestId('update-target-state');
    expect(rows.map((r) => text(r))).toEqual(plan.communications.map(() => 'Posted by hand'));
    await fireEvent.click(
      container.querySelector(`[data-rule="${rule}"] [data-action="set-target"]`)!,
    );
    const url = container.ownerDocument.querySelector<HTMLInputElement>('#target-url')!;
    expect(url.type).toBe('password');
    await fireEvent.input(url, { target: { value: ' https://hooks.slack.com/services/T/B/X ' } });
    await fireEvent.click(getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(api.setUpdateTarget).toHaveBeenCalledWith(rule, 'slack', {
        url: 'https://hooks.slack.com/services/T/B/X',
        token: '',
        chat: '',
      }),
    );
    await waitFor(() =>
      expect(
        text(container.querySelector(`[data-rule="${rule}"] [data-testid="update-target-state"]`)),
      ).toBe('Sent to Slack (hooks.slack.com)'),
    );
  });

  it('says why a target is refused and keeps the form open', async () => {
    const plan = fixturePlan();
    const rule = plan.communications[0]!.id;
    api.updateTargets.mockResolvedValue([]);
    api.setUpdateTarget.mockRejectedValue(
      new ApiError('refused', 'the address must start with https://', []),
    );
    const { container, getByRole, findByRole } = render(UpdateTargets, { plan });
    await fireEvent.click(
      await button(container, `[data-rule="${rule}"] [data-action="set-target"]`),
    );
    await fireEvent.click(getByRole('button', { name: 'Save' }));
    expect(text(await findByRole('alert'))).toBe('the address must start with https://');
    expect(container.ownerDocument.querySelector('[data-testid="target-form"]')).not.toBeNull();
  });

  it('stops sending only once confirmed', async () => {
    const plan = fixturePlan();
    const rule = plan.communications[0]!.id;
    api.updateTargets.mockResolvedValue([{ rule, kind: 'json', shown: '127.0.0.1:9' }]);
    api.setUpdateTarget.mockResolvedValue([]);
    const { container, getByRole } = render(UpdateTargets, { plan });
    await fireEvent.click(
      await button(container, `[data-rule="${rule}"] [data-action="remove-target"]`),
    );
    expect(api.setUpdateTarget).not.toHaveBeenCalled();
    await fireEvent.click(getByRole('button', { name: 'Stop sending' }));
    await waitFor(() => expect(api.setUpdateTarget).toHaveBeenCalledWith(rule, null, null));
  });
});
