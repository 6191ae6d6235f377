// The window's side of the IPC contract (`contract.gen.ts`, generated from the Rust commands):
// every command has a wrapper here, and the argument and result types are the Rust ones, so a
// wrong wrapper fails `svelte-check` (the `@ts-expect-error` lines below must stay errors).
import { describe, expect, it } from 'vitest';

import { COMMANDS, EVENTS, type Commands } from './contract.gen';
import source from './index.ts?raw';

describe('the IPC contract', () => {
  it('has a wrapper for every command, and no call to a command it does not list', () => {
    const called = [...source.matchAll(/\bcall\(\s*'([a-z_]+)'/g)].map((m) => m[1]);
    expect(new Set(called)).toEqual(new Set(COMMANDS));
  });

  it('types each command from Rust: arguments by their window names, results as returned', () => {
    const search: Commands['search_plan']['args'] = { query: 'oracle', limit: 5 };
    // @ts-expect-error: the limit is a number, as the Rust `u32` says
    const wrong: Commands['search_plan']['args'] = { query: 'oracle', limit: '5' };
    const renamed: Commands['request_decision']['args'] = {
      incident: 'INC-1',
      policy: 'pause-contract',
      statement: 'Pause',
      // @ts-expect-error: `request_decision` takes `expiresInMinutes`, not `expiresIn`
      expiresIn: 60,
    };
    const none: Commands['get_plan']['args'] = null;
    expect([search, wrong, renamed, none]).toHaveLength(4);
    expect(EVENTS.planChanged).toBe('plan-changed');
  });
});
