import { beforeEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));
const listen = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/event', () => ({ listen }));

import {
  ApiError,
  actOnIncident,
  appInfo,
  attestApproval,
  declareIncident,
  escalationPreview,
  exportDecisionBundle,
  exportDecisionRequest,
  exportIncident,
  getAgenda,
  getPlan,
  getPostMortem,
  importDecisionFile,
  importPlanFolder,
  incidentView,
  keepListening,
  listDecisions,
  listIncidents,
  notificationStatus,
  onAlert,
  onDecisionsChanged,
  onIncidentsChanged,
  onTeamChanged,
  onLinkedFolderChanged,
  onOpenIncident,
  onWriteBackFailed,
  pickFolder,
  quitApp,
  requestDecision,
  savePostMortem,
  saveSignatureFile,
  setLinkedFolder,
  setUpSigningKey,
  signDecision,
  signingKeyStatus,
  joinTeam,
  leaveTeam,
  syncTeam,
  teamStatus,
  toApiError,
  type Declaration,
  type DueItem,
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

  it('keeps every code core sends, unavailable included', () => {
    check(
      { code: 'unavailable', message: '/tmp/x is not a folder' },
      { code: 'unavailable', message: '/tmp/x is not a folder' },
    );
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

describe('incidents', () => {
  it('names the commands and their arguments as the backend expects', async () => {
    invoke.mockResolvedValue(null);
    const declaration: Declaration = {
      issue: 'oracle',
      category: null,
      title: null,
      severity: 'S1',
      exercise: false,
      description: '',
      lead: 'ada',
      scribe: null,
      communications: null,
    };
    await declareIncident(declaration);
    await listIncidents();
    await incidentView('INC-3');
    await actOnIncident('INC-3', { kind: 'addNote', text: 'pool paused' });
    await escalationPreview('hack', ['validated', 'mitigated']);
    await getAgenda();
    await getPostMortem('INC-3', 'internalPostMortem');
    await savePostMortem('INC-3', 'publicPostMortem', 'What happened');
    await expect(exportIncident('INC-3', 'markdown')).resolves.toBeNull();
    await exportIncident('INC-3', 'json');
    await notificationStatus();
    await quitApp();
    expect(invoke.mock.calls).toEqual([
      ['declare_incident', { declaration }],
      ['list_incidents', undefined],
      ['incident_view', { id: 'INC-3' }],
      ['act_on_incident', { id: 'INC-3', action: { kind: 'addNote', text: 'pool paused' } }],
      ['escalation_preview', { category: 'hack', phases: ['validated', 'mitigated'] }],
      ['get_agenda', undefined],
      ['get_post_mortem', { id: 'INC-3', audience: 'internalPostMortem' }],
      ['save_post_mortem', { id: 'INC-3', audience: 'publicPostMortem', text: 'What happened' }],
      ['export_incident', { id: 'INC-3', format: 'markdown' }],
      ['export_incident', { id: 'INC-3', format: 'json' }],
      ['notification_status', undefined],
      ['quit_app', undefined],
    ]);
  });

  it('rejects a refused action with its code and message', async () => {
    invoke.mockRejectedValueOnce({
      code: 'refused',
      message: 'INC-3 is closed: reopen it first',
      problems: [],
    });
    const error: unknown = await actOnIncident('INC-3', {
      kind: 'transition',
      to: 'mitigated',
      note: '',
    }).catch((e: unknown) => e);
    expect((error as ApiError).code).toBe('refused');
    expect((error as ApiError).message).toBe('INC-3 is closed: reopen it first');
  });

  it("hands each incident event's payload to its handler", async () => {
    const stop = vi.fn();
    listen.mockResolvedValue(stop);
    const changed = vi.fn();
    const alerted = vi.fn();
    const opened = vi.fn();
    await expect(onIncidentsChanged(changed)).resolves.toBe(stop);
    await onAlert(alerted);
    await onOpenIncident(opened);
    const handlers = new Map(
      listen.mock.calls.map(([name, handler]) => [name, handler as (e: unknown) => void]),
    );
    const item = { key: 'esc:INC-3:1:0', incident: 'INC-3' } as DueItem;
    handlers.get('incidents-changed')?.({ payload: null });
    handlers.get('alert')?.({ payload: item });
    handlers.get('open-incident')?.({ payload: 'INC-3' });
    expect(changed).toHaveBeenCalledTimes(1);
    expect(alerted).toHaveBeenCalledWith(item);
    expect(opened).toHaveBeenCalledWith('INC-3');
  });
});

describe('decisions', () => {
  it('names the commands and their arguments as the backend expects', async () => {
    invoke.mockResolvedValue(null);
    await signingKeyStatus();
    await setUpSigningKey('ben', true);
    await requestDecision('INC-3', 'pause', 'Pause the pool', 240);
    await listDecisions();
    await signDecision('DEC-1', { verdict: 'reject', reason: 'too early' });
    await attestApproval('DEC-1', 'metro', 'phone', '2026-03-04T13:45:00Z', 'ada');
    await expect(exportDecisionRequest('DEC-1')).resolves.toBeNull();
    await saveSignatureFile('DEC-1', 'Muster decision signature v1\n');
    await expect(importDecisionFile()).resolves.toBeNull();
    await exportDecisionBundle('DEC-1');
    expect(invoke.mock.calls).toEqual([
      ['signing_key_status', undefined],
      ['set_up_signing_key', { contact: 'ben', rotate: true }],
      [
        'request_decision',
        { incident: 'INC-3', policy: 'pause', statement: 'Pause the pool', expiresInMinutes: 240 },
      ],
      ['list_decisions', undefined],
      ['sign_decision', { id: 'DEC-1', answer: { verdict: 'reject', reason: 'too early' } }],
      [
        'attest_approval',
        {
          id: 'DEC-1',
          approver: 'metro',
          channel: 'phone',
          approvedAt: '2026-03-04T13:45:00Z',
          witness: 'ada',
        },
      ],
      ['export_decision_request', { id: 'DEC-1' }],
      ['save_signature_file', { id: 'DEC-1', text: 'Muster decision signature v1\n' }],
      ['import_decision_file', undefined],
      ['export_decision_bundle', { id: 'DEC-1' }],
    ]);
  });

  it('calls the handler on decisions-changed', async () => {
    const stop = vi.fn();
    listen.mockResolvedValue(stop);
    const changed = vi.fn();
    await expect(onDecisionsChanged(changed)).resolves.toBe(stop);
    expect(listen.mock.calls[0]?.[0]).toBe('decisions-changed');
    (listen.mock.calls[0]?.[1] as (e: unknown) => void)({ payload: null });
    expect(changed).toHaveBeenCalledTimes(1);
  });
});

describe('team folder', () => {
  it('names the commands and their arguments as the backend expects', async () => {
    invoke.mockResolvedValue(null);
    await teamStatus();
    await joinTeam('/home/ada/Sync/team', 'ada-laptop');
    await syncTeam();
    await leaveTeam();
    expect(invoke.mock.calls).toEqual([
      ['team_status', undefined],
      ['join_team', { dir: '/home/ada/Sync/team', device: 'ada-laptop' }],
      ['sync_team', undefined],
      ['leave_team', undefined],
    ]);
  });

  it('rejects a join that is not a folder with its code', async () => {
    invoke.mockRejectedValueOnce({ code: 'unavailable', message: '/nope is not a folder' });
    const error = await joinTeam('/nope', 'ada-laptop').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('unavailable');
  });

  it('calls the handler on team-changed', async () => {
    const stop = vi.fn();
    listen.mockResolvedValue(stop);
    const changed = vi.fn();
    await expect(onTeamChanged(changed)).resolves.toBe(stop);
    expect(listen.mock.calls[0]?.[0]).toBe('team-changed');
    (listen.mock.calls[0]?.[1] as (e: unknown) => void)({ payload: null });
    expect(changed).toHaveBeenCalledTimes(1);
  });
});

describe('keepListening', () => {
  it('stops every listener, one set up after the stop too, and skips one that failed', async () => {
    const early = vi.fn();
    const late = vi.fn();
    let resolveLate: (stop: () => void) => void = () => {};
    const stop = keepListening(
      Promise.resolve(early),
      new Promise((resolve) => (resolveLate = resolve)),
      Promise.reject(new Error('no Tauri')),
    );
    await Promise.resolve();
    stop();
    expect(early).toHaveBeenCalledTimes(1);
    resolveLate(late);
    await Promise.resolve();
    await Promise.resolve();
    expect(late).toHaveBeenCalledTimes(1);
    stop();
    expect(early).toHaveBeenCalledTimes(1);
  });
});
