import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const api = vi.hoisted(() => ({
  rosterView: vi.fn(),
  pinRoster: vi.fn(),
  signRoster: vi.fn(),
  onTeamChanged: vi.fn(),
  onPlanChanged: vi.fn(),
}));
vi.mock('../api', async (original) => ({ ...(await original<object>()), ...api }));

import type { RosterVersionView, RosterView } from '../api';
import { fixturePlan } from '../plan/fixture';
import { toasts } from '../undo';
import { noRoster } from './fixture';
import Roster from './Roster.svelte';

const ROOT = '1A2B-3C4D-5E6F-7A8B-9C0D-1E2F-3A4B-5C6D';

function text(el: Element | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

function version(v: Partial<RosterVersionView> = {}): RosterVersionView {
  return {
    version: 1,
    fingerprint: ROOT,
    admins: ['ada'],
    threshold: 1,
    members: [
      ['ada', 'SHA256:adaKEY'],
      ['ben', 'SHA256:benKEY'],
    ],
    signedBy: ['ada'],
    ...v,
  };
}

function view(v: Partial<RosterView> = {}): RosterView {
  return { ...noRoster(), ...v };
}

beforeEach(() => {
  for (const fn of Object.values(api)) {
    fn.mockReset();
  }
  api.onTeamChanged.mockResolvedValue(() => {});
  api.onPlanChanged.mockResolvedValue(() => {});
  toasts.clear();
});

async function shown(v: RosterView, state: string) {
  api.rosterView.mockResolvedValue(v);
  render(Roster, { plan: fixturePlan() });
  const q = (selector: string) => document.body.querySelector<HTMLElement>(selector);
  const by = (testid: string) => q(`[data-testid="${testid}"]`);
  await waitFor(() => expect(by('roster')?.dataset.state).toBe(state));
  return { q, by };
}

describe('Roster', () => {
  it('says there is none, and how an admin starts one', async () => {
    const { by } = await shown(view(), 'none');
    expect(text(by('roster-none'))).toContain('muster roster start --admin YOUR-ID');
    expect(by('roster-pin')).toBeNull();
  });

  it('trusts a roster seen in the folder only after the fingerprint is confirmed', async () => {
    const candidate = version();
    const { by, q } = await shown(view({ roots: [candidate] }), 'to-pin');
    expect(text(by('roster-to-pin'))).toContain('by another channel');
    expect(text(by('roster-candidate'))).toContain(ROOT);
    await fireEvent.click(by('roster-pin') as HTMLElement);
    const dialog = q('[data-testid="confirm"]');
    expect(text(dialog)).toContain(ROOT);
    // Refused: the dialog stays, with why; nothing is pinned.
    api.pinRoster.mockRejectedValueOnce({ code: 'refused', message: 'not signed by its admins' });
    await fireEvent.click(q('[data-testid="confirm"] [data-action="confirm"]') as HTMLElement);
    await waitFor(() =>
      expect(text(q('[data-testid="confirm"] [role="alert"]'))).toBe('not signed by its admins'),
    );
    expect(by('roster')?.dataset.state).toBe('to-pin');
    await fireEvent.click(q('[data-testid="confirm"] [data-action="dismiss"]') as HTMLElement);
    await waitFor(() => expect(q('[data-testid="confirm"]')).toBeNull());
    api.pinRoster.mockResolvedValueOnce(view({ root: candidate, current: candidate }));
    await fireEvent.click(by('roster-pin') as HTMLElement);
    await fireEvent.click(q('[data-testid="confirm"] [data-action="confirm"]') as HTMLElement);
    await waitFor(() => expect(by('roster')?.dataset.state).toBe('pinned'));
    expect(api.pinRoster).toHaveBeenLastCalledWith(ROOT);
    expect(text(by('roster-root'))).toBe(ROOT);
    expect(toasts.current?.text).toBe('This laptop now trusts the team’s roster');
  });

  it('shows the version in force with its keys, and what waits, was refused or froze', async () => {
    const current = version({
      version: 3,
      fingerprint: 'AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-0000-1111',
      admins: ['ada', 'ben', 'chloe-demo'],
      threshold: 2,
      signedBy: ['ada', 'ben'],
    });
    const waiting = {
      version: 4,
      fingerprint: '4444-4444-4444-4444-4444-4444-4444-4444',
      signedBy: ['ada'],
      reason: 'it needs the signatures of 2 admin(s) of version 3; it has 1 (ada)',
    };
    const { by, q } = await shown(
      view({
        root: version(),
        current,
        waiting: [waiting],
        refused: [
          {
            version: 2,
            fingerprint: '2222-2222-2222-2222-2222-2222-2222-2222',
            signedBy: [],
            reason: 'an older or competing version is never taken (no rollback)',
          },
        ],
        frozen: null,
      }),
      'pinned',
    );
    expect(text(by('roster-current'))).toBe('Version 3, signed by Ada Example, Ben Sample');
    expect(text(by('roster'))).toContain('2 admins sign');
    expect(document.querySelectorAll('[data-testid="roster-member"]')).toHaveLength(2);
    expect(text(by('roster-waiting'))).toContain('it has 1 (ada)');
    expect(text(by('roster-refused'))).toContain('no rollback');
    await fireEvent.click(by('roster-sign') as HTMLElement);
    expect(text(q('[data-testid="confirm"]'))).toContain('Sign roster version 4?');
    api.signRoster.mockResolvedValueOnce(
      view({ root: version(), current: { ...current, version: 4 } }),
    );
    await fireEvent.click(q('[data-testid="confirm"] [data-action="confirm"]') as HTMLElement);
    await waitFor(() => expect(text(by('roster-current'))).toContain('Version 4'));
    expect(api.signRoster).toHaveBeenCalledWith(waiting.fingerprint);
    expect(by('roster-waiting')).toBeNull();
  });

  it('says when roster changes are frozen', async () => {
    const { by } = await shown(
      view({ root: version(), current: version(), frozen: 'two different version 2 entries' }),
      'pinned',
    );
    expect(text(by('roster-frozen'))).toContain('Roster changes are frozen.');
  });
});
