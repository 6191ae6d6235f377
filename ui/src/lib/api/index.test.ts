import { beforeEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));
const listen = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/event', () => ({ listen }));

import {
  ApiError,
  appInfo,
  getPlan,
  importPlanFolder,
  onLinkedFolderChanged,
  onWriteBackFailed,
  pickFolder,
  setLinkedFolder,
  toApiError,
} from './index';

beforeEach(() => {
  invoke.mockReset();
  listen.mockReset();
});

describe('toApiError', () => {
  function check(reason: unknown, expected: { code: string; message: string }) {
    const error = toApiError(reason);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toBeInstanceOf(Error);
    expect({ code: error.code, message: error.message }).toEqual(expected);
  }

  it('keeps an IpcError as it is', () => {
    check(
      { code: 'databaseTooNew', message: 'schema 9 is newer than 3' },
      { code: 'databaseTooNew', message: 'schema 9 is newer than 3' },
    );
  });

  it('turns a plain string into an internal error', () => {
    check('command get_plan not found', {
      code: 'internal',
      message: 'command get_plan not found',
    });
  });

  it('turns an Error into an internal error with its message', () => {
    check(new TypeError('window.__TAURI_INTERNALS__ is undefined'), {
      code: 'internal',
      message: 'window.__TAURI_INTERNALS__ is undefined',
    });
  });

  it('does not trust an unknown code', () => {
    check(
      { code: 'teapot', message: 'short and stout' },
      {
        code: 'internal',
        message: '{"code":"teapot","message":"short and stout"}',
      },
    );
  });
});

describe('commands', () => {
  it('getPlan calls get_plan and returns its plan', async () => {
    invoke.mockResolvedValueOnce({ meta: { name: 'P' } });
    await expect(getPlan()).resolves.toEqual({ meta: { name: 'P' } });
    expect(invoke).toHaveBeenCalledWith('get_plan', undefined);
  });

  it('appInfo calls app_info', async () => {
    invoke.mockResolvedValueOnce({ version: '0.1.0', dataDir: '/d', schemaVersion: 1 });
    await expect(appInfo()).resolves.toMatchObject({ version: '0.1.0' });
    expect(invoke).toHaveBeenCalledWith('app_info', undefined);
  });

  it('rejects with an ApiError carrying the code', async () => {
    invoke.mockRejectedValueOnce({ code: 'databaseDamaged', message: 'file is not a database' });
    const error: unknown = await getPlan().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('databaseDamaged');
    expect((error as ApiError).message).toBe('file is not a database');
  });
});

describe('plan folder', () => {
  it('names the commands and their arguments as the backend expects', async () => {
    invoke.mockResolvedValue(null);
    await expect(pickFolder('Export the plan to a folder')).resolves.toBeNull();
    await setLinkedFolder('/linked', true);
    await setLinkedFolder(null, false);
    expect(invoke.mock.calls).toEqual([
      ['pick_folder', { title: 'Export the plan to a folder' }],
      ['set_linked_folder', { dir: '/linked', writeBack: true }],
      ['set_linked_folder', { dir: null, writeBack: false }],
    ]);
  });

  it('rejects a refused import with its code', async () => {
    invoke.mockRejectedValueOnce({ code: 'refused', message: 'plan.toml:1:1: bad' });
    const error: unknown = await importPlanFolder('/p').catch((e: unknown) => e);
    expect((error as ApiError).code).toBe('refused');
  });

  it("hands each event's payload to its handler", async () => {
    const stop = vi.fn();
    listen.mockResolvedValue(stop);
    const changed = vi.fn();
    const failed = vi.fn();
    await expect(onLinkedFolderChanged(changed)).resolves.toBe(stop);
    await onWriteBackFailed(failed);
    const handlers = new Map(
      listen.mock.calls.map(([name, handler]) => [name, handler as (e: unknown) => void]),
    );
    handlers.get('linked-folder-changed')?.({ payload: '2026-03-04T09:05:00Z' });
    handlers.get('linked-folder-write-failed')?.({ payload: 'permission denied' });
    expect(changed).toHaveBeenCalledWith('2026-03-04T09:05:00Z');
    expect(failed).toHaveBeenCalledWith('permission denied');
  });
});
