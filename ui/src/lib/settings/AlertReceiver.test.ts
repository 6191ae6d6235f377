import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const api = vi.hoisted(() => ({
  alertReceiver: vi.fn(),
  setAlertReceiver: vi.fn(),
  renewAlertToken: vi.fn(),
}));
vi.mock('../api', async (original) => ({ ...(await original<object>()), ...api }));

import { ApiError, type AlertReceiverView } from '../api';
import AlertReceiver from './AlertReceiver.svelte';

const OFF: AlertReceiverView = {
  on: false,
  port: 9797,
  url: 'http://127.0.0.1:9797/alerts',
  listening: false,
  problem: null,
  hasToken: false,
  newToken: null,
};
const TOKEN = 'a'.repeat(64);

function text(el: Element | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

beforeEach(() => {
  for (const fn of Object.values(api)) {
    fn.mockReset();
  }
});

describe('AlertReceiver', () => {
  it('is off until turned on; turned on, it shows its address and the token once', async () => {
    api.alertReceiver.mockResolvedValue(OFF);
    api.setAlertReceiver.mockResolvedValue({
      ...OFF,
      on: true,
      listening: true,
      hasToken: true,
      newToken: TOKEN,
    });
    const { container, findByTestId, getByRole } = render(AlertReceiver);
    expect(text(await findByTestId('alert-receiver-state'))).toBe('Off: no alert is taken.');
    const save = getByRole('button', {
      name: 'Save the alert receiver settings',
    }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    await fireEvent.click(container.querySelector('input[name="on"]')!);
    expect(save.disabled).toBe(false);
    await fireEvent.click(save);
    await waitFor(() => expect(api.setAlertReceiver).toHaveBeenCalledWith(true, 9797));
    await waitFor(() =>
      expect(text(container.querySelector('[data-testid="alert-receiver-state"]'))).toBe(
        'Listening at http://127.0.0.1:9797/alerts',
      ),
    );
    const token = container.querySelector<HTMLInputElement>('#alert-token');
    expect(token?.value).toBe(TOKEN);
    expect(token?.readOnly).toBe(true);
    // The Alertmanager receiver to paste carries the address and the token.
    expect(text(container.querySelector('pre'))).toContain(
      `url: http://127.0.0.1:9797/alerts send_resolved: true http_config: authorization: credentials: ${TOKEN}`,
    );
  });

  it('refuses a port out of range without asking, and shows why it cannot listen', async () => {
    api.alertReceiver.mockResolvedValue({
      ...OFF,
      on: true,
      hasToken: true,
      problem: 'cannot listen on 127.0.0.1:9797 (Address already in use)',
    });
    const { container, findByTestId, getByRole } = render(AlertReceiver);
    expect(text(await findByTestId('alert-receiver-state'))).toContain(
      'Not listening: cannot listen on 127.0.0.1:9797 (Address already in use)',
    );
    const field = container.querySelector<HTMLInputElement>('#alert-port')!;
    await fireEvent.input(field, { target: { value: '80' } });
    await fireEvent.click(getByRole('button', { name: 'Save the alert receiver settings' }));
    expect(text(container.querySelector('#alert-port-problem'))).toBe(
      'Give a port from 1024 to 65535.',
    );
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(api.setAlertReceiver).not.toHaveBeenCalled();
    // A refusal from the backend is said where the port is.
    api.setAlertReceiver.mockRejectedValue(new ApiError('refused', 'port 9000? no', []));
    await fireEvent.input(field, { target: { value: '9000' } });
    await fireEvent.click(getByRole('button', { name: 'Save the alert receiver settings' }));
    await waitFor(() =>
      expect(text(container.querySelector('#alert-port-problem'))).toBe('port 9000? no'),
    );
  });

  it('makes a new token only once confirmed', async () => {
    api.alertReceiver.mockResolvedValue({ ...OFF, on: true, listening: true, hasToken: true });
    api.renewAlertToken.mockResolvedValue({
      ...OFF,
      on: true,
      listening: true,
      hasToken: true,
      newToken: TOKEN,
    });
    const { container, findByRole, getByRole } = render(AlertReceiver);
    await fireEvent.click(await findByRole('button', { name: 'New token…' }));
    expect(api.renewAlertToken).not.toHaveBeenCalled();
    expect(text(getByRole('dialog'))).toContain('The current token stops working at once');
    await fireEvent.click(getByRole('button', { name: 'Make a new token' }));
    await waitFor(() => expect(api.renewAlertToken).toHaveBeenCalledTimes(1));
    await waitFor(() =>
      expect(container.querySelector<HTMLInputElement>('#alert-token')?.value).toBe(TOKEN),
    );
  });
});
