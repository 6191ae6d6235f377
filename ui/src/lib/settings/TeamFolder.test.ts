import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const api = vi.hoisted(() => ({
  teamStatus: vi.fn(),
  joinTeam: vi.fn(),
  leaveTeam: vi.fn(),
  syncTeam: vi.fn(),
  pickFolder: vi.fn(),
  onTeamChanged: vi.fn(),
  onPlanChanged: vi.fn(),
}));
vi.mock('../api', async (original) => ({ ...(await original<object>()), ...api }));

import type { TeamView, Transport } from '../api';
import { localTime } from '../kit/time';
import { fixturePlan } from '../plan/fixture';
import { toasts } from '../undo';
import {
  TEAM_FOLDER as FOLDER,
  heard,
  inTeam as joined,
  minutesAgo as before,
  notInTeam as outside,
} from './fixture';
import TeamFolder from './TeamFolder.svelte';

const MINUTE = 60_000;

/** A promise settled from the test. */
function later<T>() {
  let resolve: (value: T) => void = () => {};
  let reject: (reason: unknown) => void = () => {};
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

function text(el: Element | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** The `team-changed` handlers the section listens with. */
let changed: (() => void)[] = [];

beforeEach(() => {
  for (const fn of Object.values(api)) {
    fn.mockReset();
  }
  changed = [];
  api.onTeamChanged.mockImplementation(async (handler: () => void) => {
    changed.push(handler);
    return () => {
      changed = changed.filter((h) => h !== handler);
    };
  });
  api.onPlanChanged.mockResolvedValue(() => {});
  toasts.clear();
});

afterEach(() => {
  vi.useRealTimers();
});

async function shown(view: TeamView, state: string) {
  api.teamStatus.mockResolvedValue(view);
  const rendered = render(TeamFolder, { plan: fixturePlan() });
  const q = <T extends Element = HTMLElement>(selector: string) =>
    document.body.querySelector<T>(selector) as T;
  const all = (testid: string) =>
    Array.from(document.body.querySelectorAll(`[data-testid="${testid}"]`));
  const section = q('[data-testid="team-folder"]');
  await waitFor(() => expect(section.dataset.state).toBe(state));
  return { ...rendered, q, all, section, by: (testid: string) => q(`[data-testid="${testid}"]`) };
}

describe('TeamFolder: not in a team', () => {
  it('says what it does and asks for a signing key first, with no join form', async () => {
    const { by, section } = await shown(outside({ signsAs: null }), 'needs-key');
    expect(text(by('team-intro'))).toContain('through a folder that Syncthing or git shares');
    expect(text(by('team-intro'))).toContain('nothing goes to any server');
    expect(text(by('team-needs-key'))).toBe(
      'Set up your signing key first, in the Signing key section above: teammates take in only events signed by someone the plan lists.',
    );
    expect(by('team-join')).toBeNull();
    expect(by('team-device')).toBeNull();
    expect(by('team-choose')).toBeNull();
    expect(section.querySelector('form')).toBeNull();
  });

  it('joins the folder chosen, with the laptop name prefilled and editable', async () => {
    const { by } = await shown(outside(), 'not-joined');
    expect(by('team-needs-key')).toBeNull();
    const device = by('team-device') as HTMLInputElement;
    expect(device.value).toBe('ada-laptop');
    const join = by('team-join') as HTMLButtonElement;
    expect(text(join)).toBe('Join');
    expect(join.disabled).toBe(true);
    expect(text(by('team-chosen'))).toBe('No folder chosen');

    api.pickFolder.mockResolvedValueOnce(null);
    await fireEvent.click(by('team-choose'));
    expect(api.pickFolder).toHaveBeenCalledWith('Choose the team folder');
    expect(join.disabled).toBe(true);

    api.pickFolder.mockResolvedValueOnce(FOLDER);
    await fireEvent.click(by('team-choose'));
    await waitFor(() => expect(text(by('team-chosen'))).toBe(FOLDER));
    expect(by('team-chosen').tagName).toBe('CODE');
    expect(join.disabled).toBe(false);

    await fireEvent.input(device, { target: { value: ' ada-x1 ' } });
    const answer = later<TeamView>();
    api.joinTeam.mockReturnValue(answer.promise);
    await fireEvent.click(join);
    expect(api.joinTeam).toHaveBeenCalledWith(FOLDER, 'ada-x1');
    await waitFor(() => expect(text(join)).toBe('Joining…'));
    expect(join.disabled).toBe(true);

    answer.resolve(joined());
    await waitFor(() => expect(by('team-folder').dataset.state).toBe('joined'));
    expect(text(by('team-path'))).toBe(FOLDER);
    expect(toasts.current?.text).toBe(`Joined the team folder ${FOLDER}`);
  });

  it('shows core’s problem with the laptop name beside the field', async () => {
    api.pickFolder.mockResolvedValue(FOLDER);
    api.joinTeam.mockRejectedValue({
      code: 'invalidInput',
      message: 'invalid device name',
      problems: [
        {
          location: { section: 'team', element: '', field: 'device' },
          message: 'a device name is letters, digits, dots, dashes and underscores',
        },
      ],
    });
    const { by, q } = await shown(outside(), 'not-joined');
    await fireEvent.click(by('team-choose'));
    await waitFor(() => expect(text(by('team-chosen'))).toBe(FOLDER));
    const device = by('team-device') as HTMLInputElement;
    await fireEvent.input(device, { target: { value: 'ada/laptop' } });
    await fireEvent.click(by('team-join'));

    const beside = await waitFor(() => q('[data-field-error="device"]'));
    expect(text(beside)).toBe('A device name is letters, digits, dots, dashes and underscores');
    expect(device.getAttribute('aria-invalid')).toBe('true');
    expect(device.getAttribute('aria-describedby')).toBe(beside.id);
    expect(by('team-join-errors')).toBeNull();
    expect(by('team-folder').dataset.state).toBe('not-joined');

    await fireEvent.input(device, { target: { value: 'ada-laptop' } });
    expect(q('[data-field-error="device"]')).toBeNull();
    expect(device.getAttribute('aria-invalid')).toBeNull();
  });

  it('shows any other refusal above the form', async () => {
    api.pickFolder.mockResolvedValue('/home/ada/notes.txt');
    const { by } = await shown(outside(), 'not-joined');
    await fireEvent.click(by('team-choose'));
    await waitFor(() => expect(text(by('team-chosen'))).toBe('/home/ada/notes.txt'));

    api.joinTeam.mockRejectedValueOnce({
      code: 'unavailable',
      message: '/home/ada/notes.txt is not a folder',
    });
    await fireEvent.click(by('team-join'));
    await waitFor(() =>
      expect(text(by('team-join-errors'))).toBe('Not joined. /home/ada/notes.txt is not a folder'),
    );

    api.joinTeam.mockRejectedValueOnce({
      code: 'refused',
      message: 'set up your signing key first',
    });
    await fireEvent.click(by('team-join'));
    await waitFor(() =>
      expect(text(by('team-join-errors'))).toBe('Not joined. Set up your signing key first'),
    );
    expect(by('team-folder').dataset.state).toBe('not-joined');
  });
});

describe('TeamFolder: in a team', () => {
  it('shows the folder, who this laptop is, the counts and when it last looked', async () => {
    const { by } = await shown(
      joined({ status: { published: 12, received: 30, waiting: 2 } }),
      'joined',
    );
    expect(text(by('team-path'))).toBe(FOLDER);
    expect(text(by('team-you'))).toBe('Ada Example on ada-laptop');
    expect(text(by('team-published'))).toBe('12');
    expect(text(by('team-waiting-signature'))).toBe('0');
    expect(text(by('team-received'))).toBe('30');
    expect(text(by('team-waiting'))).toBe('2');
    expect(text(by('team-last-round'))).toBe('2 min ago');
    expect(text(by('team-no-teammates'))).toBe('No teammate heard from yet.');
    expect(by('team-unsigned')).toBeNull();
    expect(by('team-problem')).toBeNull();
    expect(by('team-not-applied')).toBeNull();
    expect(by('team-quarantined')).toBeNull();
    expect(by('team-join')).toBeNull();
  });

  it('says in words what carries the folder', async () => {
    const cases: [Transport, string][] = [
      [
        { kind: 'syncthing', folderId: 'muster-team', maxConflicts: 10, api: true },
        'Syncthing folder muster-team — new files are sent at once · maxConflicts 10',
      ],
      [
        { kind: 'syncthing', folderId: null, maxConflicts: null, api: false },
        "Syncthing folder — new files are sent after Syncthing's watcher delay",
      ],
      [{ kind: 'git' }, 'git working copy — pulled and pushed every minute and on Sync now'],
      [{ kind: 'plain' }, 'Plain folder — watched, and read every few seconds'],
    ];
    for (const [transport, words] of cases) {
      const { by, unmount } = await shown(joined({ transport }), 'joined');
      expect(text(by('team-transport'))).toBe(words);
      expect(by('team-transport').dataset.kind).toBe(transport.kind);
      unmount();
    }
  });

  it('lists the teammates heard from by name, with how long ago', async () => {
    const { all } = await shown(
      joined({
        status: {
          teammates: [
            heard(),
            heard({
              person: 'zed',
              device: 'zed-pc',
              events: 1,
              lastWritten: before(180),
              lastReceived: before(0.25),
            }),
          ],
        },
      }),
      'joined',
    );
    const rows = all('team-teammate').map((row) =>
      Array.from(row.querySelectorAll('td')).map((td) => text(td)),
    );
    expect(rows).toEqual([
      ['Ben Sample', 'ben-desktop', '7', '5 min ago', '4 min ago'],
      ['zed (not on a team)', 'zed-pc', '1', '3 h 00 min ago', 'under a minute ago'],
    ]);
  });

  it('shows a teammate’s clock running ahead as a time', async () => {
    const ahead = new Date(Date.now() + 30 * MINUTE).toISOString();
    const { all } = await shown(
      joined({ status: { teammates: [heard({ lastWritten: ahead })] } }),
      'joined',
    );
    expect(text(all('team-teammate')[0]?.querySelectorAll('td')[3])).toBe(localTime(ahead));
  });

  it('warns why events wait to be signed and what is wrong with the folder', async () => {
    const { by } = await shown(
      joined({
        status: { unsigned: 3 },
        link: {
          unsigned: 'the keychain is locked: unlock it and Muster signs them at once',
          problem: 'git push failed: could not reach origin',
        },
      }),
      'joined',
    );
    expect(text(by('team-unsigned'))).toBe(
      '3 events waiting to be signed. The keychain is locked: unlock it and Muster signs them at once',
    );
    expect(text(by('team-waiting-signature'))).toBe('3');
    expect(text(by('team-problem'))).toBe(
      'Not in sync: nothing is lost, Muster tries again on its next round. Git push failed: could not reach origin',
    );
  });

  it('lists what was not applied and the quarantined files, as text', async () => {
    const { by, all, section } = await shown(
      joined({
        status: { notApplied: ['INC-7: phase contained is not reachable from declared'] },
        link: {
          quarantined: [
            { path: 'events/ab/cd.json', reason: 'signed by a key the plan does not list' },
            { path: 'events/<b>x</b>.json', reason: 'not a team event: <i>bad</i> JSON' },
          ],
        },
      }),
      'joined',
    );
    expect(text(by('team-not-applied'))).toBe(
      'INC-7: phase contained is not reachable from declared',
    );
    expect(text(section)).toContain('Quarantined — never taken in');
    const rows = all('team-quarantined').map((row) =>
      Array.from(row.querySelectorAll('td')).map((td) => text(td)),
    );
    expect(rows).toEqual([
      ['events/ab/cd.json', 'Signed by a key the plan does not list'],
      ['events/<b>x</b>.json', 'Not a team event: <i>bad</i> JSON'],
    ]);
    expect(section.querySelector('b, i')).toBeNull();
  });
});

describe('TeamFolder: actions', () => {
  it('syncs now, busy while the call runs, and takes its answer', async () => {
    const { by } = await shown(joined(), 'joined');
    const sync = by('team-sync') as HTMLButtonElement;
    expect(text(sync)).toBe('Sync now');
    const answer = later<TeamView>();
    api.syncTeam.mockReturnValue(answer.promise);
    await fireEvent.click(sync);
    await waitFor(() => expect(text(sync)).toBe('Syncing…'));
    expect(sync.disabled).toBe(true);
    answer.resolve(joined({ status: { received: 31 } }));
    await waitFor(() => expect(text(sync)).toBe('Sync now'));
    expect(sync.disabled).toBe(false);
    expect(text(by('team-received'))).toBe('31');
    expect(api.syncTeam).toHaveBeenCalledTimes(1);
  });

  it('says when syncing failed', async () => {
    api.syncTeam.mockRejectedValue({ code: 'internal', message: 'background task failed' });
    const { by } = await shown(joined(), 'joined');
    await fireEvent.click(by('team-sync'));
    await waitFor(() => expect(toasts.current?.problem).toBe(true));
    expect(toasts.current?.text).toBe('Could not sync: background task failed');
    expect((by('team-sync') as HTMLButtonElement).disabled).toBe(false);
  });

  it('leaves only after saying what leaving does', async () => {
    const { by, q } = await shown(joined(), 'joined');
    await fireEvent.click(by('team-leave'));
    const confirm = q('[data-testid="confirm"]');
    expect(text(confirm)).toContain(
      'This laptop stops sending and taking in events. Incidents already here stay.',
    );
    await fireEvent.click(confirm.querySelector('[data-action="dismiss"]') as Element);
    await waitFor(() => expect(q('[data-testid="confirm"]')).toBeNull());
    expect(api.leaveTeam).not.toHaveBeenCalled();

    api.leaveTeam.mockResolvedValue(outside());
    await fireEvent.click(by('team-leave'));
    await fireEvent.click(q('[data-testid="confirm"] [data-action="confirm"]'));
    await waitFor(() => expect(q('[data-testid="confirm"]')).toBeNull());
    expect(api.leaveTeam).toHaveBeenCalledTimes(1);
    expect(by('team-folder').dataset.state).toBe('not-joined');
    expect(toasts.current?.text).toBe('Left the team folder');
  });

  it('shows why leaving failed in the question', async () => {
    api.leaveTeam.mockRejectedValue({ code: 'storage', message: 'the database is read-only' });
    const { by, q } = await shown(joined(), 'joined');
    await fireEvent.click(by('team-leave'));
    await fireEvent.click(q('[data-testid="confirm"] [data-action="confirm"]'));
    await waitFor(() =>
      expect(text(q('[data-testid="confirm"] [role="alert"]'))).toBe('the database is read-only'),
    );
    expect(by('team-folder').dataset.state).toBe('joined');
  });
});

describe('TeamFolder: refreshing', () => {
  it('asks again on team-changed', async () => {
    const { by } = await shown(joined(), 'joined');
    await waitFor(() => expect(changed).toHaveLength(1));
    api.teamStatus.mockResolvedValue(joined({ status: { teammates: [heard()] } }));
    changed[0]?.();
    await waitFor(() => expect(by('team-teammate')).not.toBeNull());
    expect(by('team-no-teammates')).toBeNull();
    expect(api.teamStatus).toHaveBeenCalledTimes(2);
  });

  it('keeps the latest answer when an earlier one comes back last', async () => {
    const first = later<TeamView>();
    const second = later<TeamView>();
    api.teamStatus.mockReturnValueOnce(first.promise).mockReturnValueOnce(second.promise);
    render(TeamFolder, { plan: fixturePlan() });
    await waitFor(() => expect(changed).toHaveLength(1));
    changed[0]?.();
    second.resolve(joined({ status: { received: 2 } }));
    const received = await waitFor(() => {
      const found = document.body.querySelector('[data-testid="team-received"]');
      expect(found).not.toBeNull();
      return found;
    });
    first.resolve(joined({ status: { received: 1 } }));
    await first.promise;
    await Promise.resolve();
    expect(text(received)).toBe('2');
  });

  it('asks again every 5 s while shown, and stops when gone', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { by, unmount } = await shown(joined(), 'joined');
    expect(api.teamStatus).toHaveBeenCalledTimes(1);
    api.teamStatus.mockResolvedValue(joined({ link: { lastRound: before(0) } }));
    vi.advanceTimersByTime(5000);
    expect(api.teamStatus).toHaveBeenCalledTimes(2);
    await waitFor(() => expect(text(by('team-last-round'))).toBe('under a minute ago'));
    unmount();
    vi.advanceTimersByTime(15000);
    expect(api.teamStatus).toHaveBeenCalledTimes(2);
  });
});
