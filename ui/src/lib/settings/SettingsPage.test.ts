import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const api = vi.hoisted(() => ({
  getProfile: vi.fn(),
  setProfileName: vi.fn(),
  appInfo: vi.fn(),
  notificationStatus: vi.fn(),
  signingKeyStatus: vi.fn(),
  setUpSigningKey: vi.fn(),
  teamStatus: vi.fn(),
  rosterView: vi.fn(),
  onTeamChanged: vi.fn(),
  onPlanChanged: vi.fn(),
  listBackups: vi.fn(),
  backupNow: vi.fn(),
  restoreBackup: vi.fn(),
  lastRestore: vi.fn(),
  getReminderMinutes: vi.fn(),
  setReminderMinutes: vi.fn(),
  alertReceiver: vi.fn(),
  updateTargets: vi.fn(),
}));
vi.mock('../api', async (original) => ({ ...(await original<object>()), ...api }));

import { fixturePlan } from '../plan/fixture';
import { noRoster, notInTeam } from './fixture';
import SettingsPage from './SettingsPage.svelte';

beforeEach(() => {
  for (const fn of Object.values(api)) {
    fn.mockReset();
  }
  api.getProfile.mockResolvedValue({ name: 'Ada' });
  api.getReminderMinutes.mockResolvedValue(15);
  api.updateTargets.mockResolvedValue([]);
  api.alertReceiver.mockResolvedValue({
    on: false,
    port: 9797,
    url: 'http://127.0.0.1:9797/alerts',
    listening: false,
    problem: null,
    hasToken: false,
    newToken: null,
  });
  api.appInfo.mockResolvedValue({
    version: '0.1.0',
    dataDir: '/home/ada/.muster',
    schemaVersion: 4,
    timeZone: 'Europe/Berlin',
    timeZoneProblem: null,
    writesOff: null,
  });
  api.notificationStatus.mockResolvedValue({ available: true, detail: 'dunst 1.9.0' });
  api.signingKeyStatus.mockResolvedValue({
    contact: null,
    name: null,
    fingerprint: null,
    keychain: 'noKey',
    detail: '',
  });
  api.teamStatus.mockResolvedValue(notInTeam({ signsAs: null }));
  api.rosterView.mockResolvedValue(noRoster());
  api.listBackups.mockResolvedValue([]);
  api.lastRestore.mockResolvedValue(null);
  api.onTeamChanged.mockResolvedValue(() => {});
  api.onPlanChanged.mockResolvedValue(() => {});
});

async function shown() {
  const view = render(SettingsPage, { plan: fixturePlan() });
  const input = view.getByLabelText(
    'Name recorded as the author of every change',
  ) as HTMLInputElement;
  await waitFor(() => expect(input.value).toBe('Ada'));
  return { ...view, input, save: view.getByRole('button', { name: 'Save' }) };
}

describe('SettingsPage', () => {
  it('sets how often an overdue update comes back; a refusal is said and changes nothing', async () => {
    const view = render(SettingsPage, { plan: fixturePlan() });
    const form = () => view.getByTestId('reminder-every');
    const input = () => form().querySelector('input') as HTMLInputElement;
    await waitFor(() => expect(input().value).toBe('15'));
    await fireEvent.input(input(), { target: { value: 'often' } });
    await fireEvent.submit(form());
    expect(form().textContent).toContain('Give a whole number of minutes, between 5 and 120.');
    expect(api.setReminderMinutes).not.toHaveBeenCalled();
    api.setReminderMinutes.mockRejectedValueOnce({
      code: 'refused',
      message: 'remind again every 500 minutes? Choose between 5 and 120 minutes',
    });
    await fireEvent.input(input(), { target: { value: '500' } });
    await fireEvent.submit(form());
    await waitFor(() => expect(form().textContent).toContain('Choose between 5 and 120 minutes'));
    api.setReminderMinutes.mockResolvedValueOnce(30);
    await fireEvent.input(input(), { target: { value: '30' } });
    await fireEvent.submit(form());
    await waitFor(() =>
      expect(form().textContent).toContain('an overdue update comes back every 30 minutes'),
    );
    expect(api.setReminderMinutes).toHaveBeenLastCalledWith(30);
  });

  it('takes the interval only once the saved one came, then saves what is typed', async () => {
    let answer: (minutes: number) => void = () => {};
    api.getReminderMinutes.mockReturnValue(new Promise<number>((resolve) => (answer = resolve)));
    const view = render(SettingsPage, { plan: fixturePlan() });
    const form = () => view.getByTestId('reminder-every');
    const input = () => form().querySelector('input') as HTMLInputElement;
    const button = () => form().querySelector('button') as HTMLButtonElement;
    // Typing before the answer came would mix the two: the field waits.
    expect(input().disabled).toBe(true);
    expect(button().disabled).toBe(true);
    answer(15);
    await waitFor(() => expect(input().disabled).toBe(false));
    expect(input().value).toBe('15');
    await fireEvent.input(input(), { target: { value: '30' } });
    api.setReminderMinutes.mockResolvedValueOnce(30);
    await fireEvent.submit(form());
    await waitFor(() =>
      expect(form().textContent).toContain('an overdue update comes back every 30 minutes'),
    );
    expect(api.setReminderMinutes).toHaveBeenLastCalledWith(30);
  });

  it('says when the interval could not be read, and still lets it be set', async () => {
    api.getReminderMinutes.mockRejectedValue({ code: 'internal', message: 'the disk is gone' });
    const view = render(SettingsPage, { plan: fixturePlan() });
    const form = () => view.getByTestId('reminder-every');
    await waitFor(() =>
      expect(form().querySelector('[role="alert"]')?.textContent).toContain(
        'Could not load the reminder interval: the disk is gone',
      ),
    );
    expect((form().querySelector('input') as HTMLInputElement).disabled).toBe(false);
  });

  it('shows the profile name and the app details', async () => {
    const { container } = await shown();
    expect(container.querySelectorAll('[data-section="settings"]').length).toBe(1);
    await waitFor(() => expect(container.textContent).toContain('/home/ada/.muster'));
    const about = Array.from(container.querySelectorAll('dd')).map((dd) => dd.textContent?.trim());
    expect(about).toEqual(['0.1.0', '/home/ada/.muster', 'version 4', 'Europe/Berlin']);
  });

  it('says when TZ is not understood, and which zone is used instead', async () => {
    api.appInfo.mockResolvedValue({
      version: '0.1.0',
      dataDir: '/home/ada/.muster',
      schemaVersion: 4,
      timeZone: 'UTC',
      timeZoneProblem:
        'TZ=`CET-1CEST` is not a time zone name Muster knows: times are shown in UTC',
    });
    const { container } = await shown();
    await waitFor(() =>
      expect(container.querySelector('[data-testid="time-zone"] .problem')?.textContent).toContain(
        'TZ=`CET-1CEST`',
      ),
    );
  });

  it('shows the team folder after the signing key', async () => {
    const { container, findByTestId } = await shown();
    const team = await findByTestId('team-folder');
    await waitFor(() => expect(team.dataset.state).toBe('needs-key'));
    const headings = Array.from(container.querySelectorAll('h2')).map((h) => h.textContent);
    expect(headings.indexOf('Team folder')).toBe(headings.indexOf('Signing key') + 1);
  });

  it('will not save an empty name', async () => {
    const { input, save, findByRole } = await shown();
    await fireEvent.input(input, { target: { value: '   ' } });
    await fireEvent.click(save);
    expect((await findByRole('alert')).textContent).toContain('Enter your name');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(api.setProfileName).not.toHaveBeenCalled();
  });

  it('saves the trimmed name', async () => {
    api.setProfileName.mockResolvedValue({ name: 'Ada Lovelace' });
    const { input, save, container } = await shown();
    await fireEvent.input(input, { target: { value: '  Ada Lovelace ' } });
    await fireEvent.click(save);
    expect(api.setProfileName).toHaveBeenCalledWith('Ada Lovelace');
    await waitFor(() => expect(container.textContent).toContain('Saved.'));
    expect(input.value).toBe('Ada Lovelace');
  });

  it('shows what the backend refused', async () => {
    api.setProfileName.mockRejectedValue({
      code: 'invalidInput',
      message: 'invalid profile',
      problems: [
        {
          location: { section: 'profile', element: '', field: 'name' },
          message: 'name is too long',
        },
      ],
    });
    const { input, save, findByRole } = await shown();
    await fireEvent.input(input, { target: { value: 'x'.repeat(300) } });
    await fireEvent.click(save);
    expect((await findByRole('alert')).textContent).toBe('name is too long');
  });
});

describe('SettingsPage: notifications', () => {
  it('says where desktop notifications go', async () => {
    const { findByTestId } = render(SettingsPage, { plan: fixturePlan() });
    const status = await findByTestId('notification-status');
    await waitFor(() =>
      expect(status.textContent).toContain('Desktop notifications go to dunst 1.9.0.'),
    );
  });

  it('says why there are none and that alerts show in the window', async () => {
    api.notificationStatus.mockResolvedValue({
      available: false,
      detail: 'org.freedesktop.Notifications is not on the session bus',
    });
    const { findByTestId } = render(SettingsPage, { plan: fixturePlan() });
    const status = await findByTestId('notification-status');
    await waitFor(() =>
      expect(status.textContent).toContain(
        'No notification service: org.freedesktop.Notifications is not on the session bus. Alerts show inside this window',
      ),
    );
  });
});
