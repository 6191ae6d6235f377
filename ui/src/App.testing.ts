// Shared by the App tests: the backend double and how to tell which page is showing.
import { waitFor } from '@testing-library/svelte';
import { expect, type Mock } from 'vitest';

import type { AppInfo, Gap, SearchHit } from './lib/api';
import { fixturePlan, outlineOf } from './lib/plan/fixture';
import { noRoster, notInTeam } from './lib/settings/fixture';

/** What the backend answers unless a test says otherwise (`mock…Once` goes first). */
export function backend(invoke: Mock, gaps: Gap[] = [], hits: SearchHit[] = []): void {
  invoke.mockImplementation(async (command: string) => {
    switch (command) {
      case 'get_plan':
        return fixturePlan();
      case 'get_plan_outline':
        return outlineOf(fixturePlan());
      case 'plan_check':
        return gaps;
      case 'search_plan':
        return hits;
      case 'list_incidents':
        return [];
      case 'get_agenda':
        return { due: [], upcoming: [], nextAt: null };
      case 'escalation_preview':
        return [];
      case 'notification_status':
        return { available: true, detail: 'dunst 1.9' };
      case 'list_decisions':
        return [];
      case 'signing_key_status':
        return { contact: null, name: null, fingerprint: null, keychain: 'noKey', detail: '' };
      case 'team_status':
        return notInTeam({ signsAs: null });
      case 'roster_view':
        return noRoster();
      case 'app_info':
        return appInfo();
      default:
        return null;
    }
  });
}

/** What the About line says of a writable profile. */
export function appInfo(): AppInfo {
  return {
    version: '0.1.0',
    dataDir: '/home/ada/.local/share/muster',
    schemaVersion: 11,
    timeZone: 'UTC',
    timeZoneProblem: null,
    writesOff: null,
  };
}

/** The calls of one command, with their arguments. */
export function calls(invoke: Mock, command: string): unknown[][] {
  return invoke.mock.calls.filter(([name]) => name === command);
}

export function sections(container: HTMLElement): (string | null)[] {
  return Array.from(container.querySelectorAll('[data-section]')).map((el) =>
    el.getAttribute('data-section'),
  );
}

/** Waits until exactly one page root is in the DOM, `section`'s, and returns it. */
export async function showing(container: HTMLElement, section: string): Promise<HTMLElement> {
  await waitFor(() => expect(sections(container)).toEqual([section]));
  const root = container.querySelector<HTMLElement>(`[data-section="${section}"]`);
  if (root === null) {
    throw new Error(`no ${section} section`);
  }
  return root;
}

export async function go(hash: string): Promise<void> {
  window.location.hash = hash;
  window.dispatchEvent(new HashChangeEvent('hashchange'));
  await Promise.resolve();
}
