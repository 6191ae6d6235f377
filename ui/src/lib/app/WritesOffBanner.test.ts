import { render, screen, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const api = vi.hoisted(() => ({ appInfo: vi.fn() }));
vi.mock('../api', async (original) => ({ ...(await original<object>()), ...api }));

import WritesOffBanner from './WritesOffBanner.svelte';

const info = {
  version: '0.1.0',
  dataDir: '/media/ro/muster',
  schemaVersion: 11,
  timeZone: 'UTC',
  timeZoneProblem: null,
  writesOff: null as string | null,
};

describe('WritesOffBanner', () => {
  beforeEach(() => api.appInfo.mockReset());

  it('says nothing while the database can be written', async () => {
    api.appInfo.mockResolvedValue(info);
    const { container } = render(WritesOffBanner);
    await waitFor(() => expect(api.appInfo).toHaveBeenCalled());
    expect(container.textContent?.trim()).toBe('');
  });

  it('says that nothing can be saved, and why, when the database only reads', async () => {
    api.appInfo.mockResolvedValue({
      ...info,
      writesOff:
        'the folder /media/ro/muster cannot be written (Read-only file system (os error 30))',
    });
    render(WritesOffBanner);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Reading only — nothing can be saved.');
    expect(alert.textContent).toContain('Read-only file system');
  });
});
