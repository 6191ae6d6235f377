import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const api = vi.hoisted(() => ({
  runStepCommand: vi.fn(),
  trustStepCommand: vi.fn(),
}));
vi.mock('../api', async (original) => ({ ...(await original<object>()), ...api }));

import type { CommandStatus } from '../api';
import { fixtureIncident, fixtureView } from './fixture';
import StepCommand from './StepCommand.svelte';

const STATUS: CommandStatus = {
  procedure: 'contain',
  step: 'pause',
  shown: "scripts/pause.sh --pool 'main pool'",
  command: {
    argv: ['scripts/pause.sh', '--pool', 'main pool'],
    dir: '/srv/ops',
    timeoutSeconds: 30,
    env: ['RPC_URL'],
  },
  sha256: 'ab'.repeat(32),
  trusted: true,
};

function text(el: Element | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

function ran(detail: string) {
  const view = fixtureView();
  view.timeline = [
    ...view.timeline,
    {
      seq: 99,
      at: '2026-03-04T13:10:00Z',
      author: 'Ada Example',
      kind: 'commandRan',
      text: 'Command for contain/pause — succeeded in 1.2 s',
      detail,
      hash: 'f'.repeat(64),
      clockBack: false,
    },
  ];
  return view;
}

beforeEach(() => {
  for (const fn of Object.values(api)) {
    fn.mockReset();
  }
});

describe('StepCommand', () => {
  it('shows exactly what runs, asks, runs it and shows how it ended', async () => {
    api.runStepCommand.mockResolvedValue(ran("$ scripts/pause.sh --pool 'main pool'\npaused"));
    const { getByRole, findByTestId } = render(StepCommand, {
      incident: fixtureIncident(),
      status: STATUS,
      ontrusted: vi.fn(),
    });
    await fireEvent.click(getByRole('button', { name: 'Run…' }));
    const dialog = getByRole('dialog');
    expect(text(dialog)).toContain("Runs scripts/pause.sh --pool 'main pool'");
    expect(text(dialog)).toContain('In /srv/ops');
    expect(text(dialog)).toContain('Stopped after 30 s, with everything it started');
    expect(text(dialog)).toContain('Given RPC_URL');
    expect(api.runStepCommand).not.toHaveBeenCalled();
    await fireEvent.click(getByRole('button', { name: 'Run it' }));
    await waitFor(() =>
      expect(api.runStepCommand).toHaveBeenCalledWith('INC-3', 'contain', 'pause', false),
    );
    expect(text(await findByTestId('command-outcome'))).toBe(
      'Command for contain/pause — succeeded in 1.2 s',
    );
    expect(text(await findByTestId('command-output'))).toContain('paused');
  });

  it('runs an exercise as a dry run unless the moderator says otherwise', async () => {
    api.runStepCommand.mockResolvedValue(ran('Dry run: not run.'));
    const incident = fixtureIncident({ exercise: true });
    const { getByRole, container } = render(StepCommand, {
      incident,
      status: STATUS,
      ontrusted: vi.fn(),
    });
    await fireEvent.click(getByRole('button', { name: 'Run…' }));
    await fireEvent.click(getByRole('button', { name: 'Dry run' }));
    await waitFor(() =>
      expect(api.runStepCommand).toHaveBeenLastCalledWith(incident.id, 'contain', 'pause', true),
    );
    await fireEvent.click(getByRole('button', { name: 'Close' }));
    await fireEvent.click(getByRole('button', { name: 'Run…' }));
    await fireEvent.click(container.ownerDocument.querySelector('input[name="real"]')!);
    await fireEvent.click(getByRole('button', { name: 'Run it' }));
    await waitFor(() =>
      expect(api.runStepCommand).toHaveBeenLastCalledWith(incident.id, 'contain', 'pause', false),
    );
  });

  it('asks to review an untrusted command and trusts exactly that one', async () => {
    api.trustStepCommand.mockResolvedValue({ ...STATUS, trusted: true });
    const ontrusted = vi.fn();
    const { getByRole, queryByRole, container } = render(StepCommand, {
      incident: fixtureIncident(),
      status: { ...STATUS, trusted: false },
      ontrusted,
    });
    expect(queryByRole('button', { name: 'Run…' })).toBeNull();
    expect(text(container)).toContain('Not trusted on this laptop');
    await fireEvent.click(getByRole('button', { name: 'Review…' }));
    expect(text(getByRole('dialog'))).toContain(`SHA-256 ${'ab'.repeat(32)}`);
    await fireEvent.click(getByRole('button', { name: 'Trust this command' }));
    await waitFor(() => expect(ontrusted).toHaveBeenCalledTimes(1));
    expect(api.trustStepCommand).toHaveBeenCalledWith('contain', 'pause', 'ab'.repeat(32));
  });

  it('offers nothing to run on a closed incident', () => {
    const { queryByRole } = render(StepCommand, {
      incident: fixtureIncident(),
      status: STATUS,
      readonly: true,
      ontrusted: vi.fn(),
    });
    expect(queryByRole('button')).toBeNull();
  });
});
