import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const api = vi.hoisted(() => ({
  listBackups: vi.fn(),
  backupNow: vi.fn(),
  restoreBackup: vi.fn(),
  lastRestore: vi.fn(),
}));
vi.mock('../api', async (original) => ({ ...(await original<object>()), ...api }));

import { ApiError, type BackupInfo } from '../api';
import Backups from './Backups.svelte';

const DAILY: BackupInfo = {
  path: '/home/ada/.muster/backups/daily-2026-12-06.sqlite3',
  kind: 'daily',
  madeAt: '2026-12-06T09:00:00Z',
  bytes: 348160,
};
const MANUAL: BackupInfo = {
  path: '/home/ada/.muster/backups/manual-20261206T101500.000Z.sqlite3',
  kind: 'manual',
  madeAt: '2026-12-06T10:15:00Z',
  bytes: 350000,
};

function text(el: Element | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

beforeEach(() => {
  for (const fn of Object.values(api)) {
    fn.mockReset();
  }
  api.lastRestore.mockResolvedValue(null);
});

describe('Backups', () => {
  it('lists the copies, newest first, and makes one on demand', async () => {
    api.listBackups.mockResolvedValueOnce([DAILY]).mockResolvedValue([MANUAL, DAILY]);
    api.backupNow.mockResolvedValue(MANUAL.path);
    const { container, getAllByTestId } = render(Backups);
    await waitFor(() => expect(getAllByTestId('backup')).toHaveLength(1));
    expect(text(getAllByTestId('backup')[0])).toContain('Daily');
    await fireEvent.click(container.querySelector('[data-action="backup-now"]')!);
    await waitFor(() => expect(getAllByTestId('backup')).toHaveLength(2));
    expect(api.backupNow).toHaveBeenCalledTimes(1);
    expect(getAllByTestId('backup')[0]?.dataset.kind).toBe('manual');
  });

  it('says when there is none yet, and what the last restore did', async () => {
    api.listBackups.mockResolvedValue([]);
    api.lastRestore.mockResolvedValue('Restored the database from /b/daily.sqlite3.');
    const { findByTestId } = render(Backups);
    expect(text(await findByTestId('no-backups'))).toContain('No backups yet');
    expect(text(await findByTestId('last-restore'))).toBe(
      'Restored the database from /b/daily.sqlite3.',
    );
  });

  it('asks before a restore, and shows why one was refused, changing nothing', async () => {
    api.listBackups.mockResolvedValue([DAILY]);
    api.restoreBackup.mockRejectedValue(
      new ApiError(
        'refused',
        `${DAILY.path} cannot be restored: the file is empty. Nothing was changed`,
        [],
      ),
    );
    const { findAllByTestId, findByTestId } = render(Backups);
    const [row] = await findAllByTestId('backup');
    await fireEvent.click(row!.querySelector('[data-action="restore"]')!);
    const dialog = await findByTestId('confirm');
    expect(text(dialog)).toContain('The database it replaces is kept among the backups');
    expect(api.restoreBackup).not.toHaveBeenCalled();
    await fireEvent.click(dialog.querySelector('[data-action="confirm"]')!);
    await waitFor(() => expect(text(dialog)).toContain('cannot be restored'));
    expect(api.restoreBackup).toHaveBeenCalledWith(DAILY.path);
  });
});
