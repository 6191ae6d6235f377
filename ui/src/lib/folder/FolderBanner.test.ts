import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { CHANGES, preview } from './fixture';

const api = vi.hoisted(() => ({
  getLinkedFolder: vi.fn(),
  previewPlanFolder: vi.fn(),
  onLinkedFolderChanged: vi.fn(),
  onWriteBackFailed: vi.fn(),
}));
vi.mock('../api', async (original) => ({ ...(await original<object>()), ...api }));

import { folder, watchLinkedFolder } from './folder.svelte';
import FolderBanner from './FolderBanner.svelte';

let changed: (at: string) => void = () => {};
let writeFailed: (message: string) => void = () => {};
const unlisten = vi.fn();
let stop: () => void = () => {};

beforeEach(() => {
  for (const fn of [...Object.values(api), unlisten]) {
    fn.mockReset();
  }
  api.getLinkedFolder.mockResolvedValue({ dir: '/linked', writeBack: true });
  api.previewPlanFolder.mockResolvedValue(preview('/linked'));
  api.onLinkedFolderChanged.mockImplementation(async (handler: (at: string) => void) => {
    changed = handler;
    return unlisten;
  });
  api.onWriteBackFailed.mockImplementation(async (handler: (message: string) => void) => {
    writeFailed = handler;
    return unlisten;
  });
  folder.linked = undefined;
  folder.preview = undefined;
  folder.pending = undefined;
  folder.checkError = '';
  folder.writeError = '';
  window.history.replaceState(null, '', '#/');
});

afterEach(() => {
  stop();
  window.history.replaceState(null, '', '#/');
});

/** The banner with the watcher running, once the start-up check is done. */
async function watching() {
  const view = render(FolderBanner);
  stop = watchLinkedFolder();
  await waitFor(() => expect(api.previewPlanFolder).toHaveBeenCalledTimes(1));
  await Promise.resolve();
  const banner = () => view.container.querySelector<HTMLElement>('[data-testid="folder-banner"]');
  const text = () => banner()?.querySelector('.text')?.textContent;
  return { ...view, banner, text };
}

describe('FolderBanner', () => {
  it('checks the linked folder at start-up and says nothing when it matches', async () => {
    const { banner } = await watching();
    expect(api.previewPlanFolder).toHaveBeenCalledWith('/linked');
    expect(banner()).toBeNull();
  });

  it('does not check when no folder is linked', async () => {
    api.getLinkedFolder.mockResolvedValue({ dir: null, writeBack: false });
    render(FolderBanner);
    stop = watchLinkedFolder();
    await waitFor(() => expect(folder.linked).toEqual({ dir: null, writeBack: false }));
    changed('2026-03-04T09:05:00Z');
    await Promise.resolve();
    expect(api.previewPlanFolder).not.toHaveBeenCalled();
  });

  it('counts the changes when the linked folder changed; Review opens the page', async () => {
    const { banner, text, container } = await watching();
    api.previewPlanFolder.mockResolvedValueOnce(preview('/linked', { changes: CHANGES }));
    changed('2026-03-04T09:05:00Z');
    await waitFor(() => expect(text()).toBe('The linked plan folder changed: 2 changes'));
    expect(api.previewPlanFolder).toHaveBeenLastCalledWith('/linked');
    expect(banner()?.getAttribute('role')).toBe('status');
    expect(container.querySelector('[data-section]')).toBeNull();
    expect(folder.preview?.changes).toEqual(CHANGES);

    folder.preview = preview('/elsewhere');
    const review = banner()?.querySelector<HTMLAnchorElement>('[data-action="review-folder"]');
    expect(review?.getAttribute('href')).toBe('#/folder');
    await fireEvent.click(review as HTMLAnchorElement);
    await waitFor(() => expect(window.location.hash).toBe('#/folder'));
    expect(folder.preview?.dir).toBe('/linked');
  });

  it('hides when dismissed', async () => {
    const { banner } = await watching();
    api.previewPlanFolder.mockResolvedValueOnce(preview('/linked', { changes: CHANGES }));
    changed('2026-03-04T09:05:00Z');
    await waitFor(() => expect(banner()).not.toBeNull());
    await fireEvent.click(
      banner()?.querySelector('[data-action="dismiss-folder-banner"]') as Element,
    );
    expect(banner()).toBeNull();
  });

  it('counts the problems when the folder cannot be imported', async () => {
    const { text } = await watching();
    api.previewPlanFolder.mockResolvedValueOnce(
      preview('/linked', { changes: CHANGES, errors: ['/linked/plan.toml:1:1: bad'] }),
    );
    changed('2026-03-04T09:05:00Z');
    await waitFor(() => expect(text()).toBe('The linked plan folder has 1 problem'));
  });

  it('goes away when the folder matches the plan again, e.g. after the app wrote to it', async () => {
    const { banner } = await watching();
    api.previewPlanFolder.mockResolvedValueOnce(preview('/linked', { changes: CHANGES }));
    changed('2026-03-04T09:05:00Z');
    await waitFor(() => expect(banner()).not.toBeNull());
    changed('2026-03-04T09:06:00Z');
    await waitFor(() => expect(banner()).toBeNull());
    expect(api.previewPlanFolder).toHaveBeenCalledTimes(3);
  });

  it('says when the linked folder could not be checked', async () => {
    const { text } = await watching();
    api.previewPlanFolder.mockRejectedValueOnce({ code: 'storage', message: 'disk on fire' });
    changed('2026-03-04T09:05:00Z');
    await waitFor(() =>
      expect(text()).toBe('Could not check the linked plan folder: disk on fire'),
    );
  });

  it('shows why edits could not be written to the folder, until dismissed', async () => {
    const { container } = await watching();
    const failed = () => container.querySelector('[data-testid="folder-write-failed"]');
    writeFailed('<b>permission denied</b>: /linked/plan.toml');
    await waitFor(() => expect(failed()).not.toBeNull());
    expect(failed()?.getAttribute('role')).toBe('alert');
    expect(failed()?.querySelector('.text')?.textContent).toBe(
      'Could not write your edits to the linked folder: <b>permission denied</b>: /linked/plan.toml',
    );
    expect(failed()?.querySelector('b')).toBeNull();
    await fireEvent.click(
      failed()?.querySelector('[data-action="dismiss-write-failed"]') as Element,
    );
    expect(failed()).toBeNull();
  });

  it('stops listening when stopped', async () => {
    await watching();
    stop();
    expect(unlisten).toHaveBeenCalledTimes(2);
    stop = () => {};
  });
});
