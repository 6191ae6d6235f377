import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { CHANGES, preview } from './fixture';

const api = vi.hoisted(() => ({
  pickFolder: vi.fn(),
  exportPlanFolder: vi.fn(),
  previewPlanFolder: vi.fn(),
  importPlanFolder: vi.fn(),
  getLinkedFolder: vi.fn(),
  setLinkedFolder: vi.fn(),
  saveExport: vi.fn(),
}));
vi.mock('../api', async (original) => ({ ...(await original<object>()), ...api }));

import { folder } from './folder.svelte';
import FolderPage from './FolderPage.svelte';

beforeEach(() => {
  for (const fn of Object.values(api)) {
    fn.mockReset();
  }
  api.getLinkedFolder.mockResolvedValue({ dir: null, writeBack: false });
  folder.linked = undefined;
  folder.preview = undefined;
  folder.pending = undefined;
});

async function shown() {
  const view = render(FolderPage);
  const q = (selector: string) => view.container.querySelector<HTMLElement>(selector);
  const click = async (selector: string) => {
    const el = q(selector);
    if (el === null) {
      throw new Error(`nothing matches ${selector}`);
    }
    await fireEvent.click(el);
  };
  await waitFor(() => expect(q('[data-testid="linked-folder"]')).not.toBeNull());
  const text = (selector: string) => q(selector)?.textContent?.replace(/\s+/g, ' ').trim();
  return { ...view, q, click, text };
}

describe('FolderPage', () => {
  it('saves each export of its kind and says where, or nothing when cancelled', async () => {
    const { click, text } = await shown();
    const kinds = [
      ['save-binder', 'binder'],
      ['save-calendar', 'calendar'],
      ['save-contacts-csv', 'contactsCsv'],
      ['save-contacts-vcard', 'contactsVcard'],
    ] as const;
    for (const [action, kind] of kinds) {
      api.saveExport.mockResolvedValueOnce(`Saved /tmp/${kind}`);
      await click(`[data-action="${action}"]`);
      await waitFor(() => expect(text('[data-testid="folder-status"]')).toBe(`Saved /tmp/${kind}`));
      expect(api.saveExport).toHaveBeenLastCalledWith(kind);
    }
    api.saveExport.mockResolvedValueOnce(null);
    await click('[data-action="save-binder"]');
    await waitFor(() => expect(api.saveExport).toHaveBeenCalledTimes(5));
    expect(text('[data-testid="folder-status"]')).toBe('');
  });

  it('is one page root, with the export, import and linked folder parts', async () => {
    const { container, text } = await shown();
    expect(container.querySelectorAll('[data-section]').length).toBe(1);
    expect(container.querySelector('[data-section="folder"] h1')?.textContent).toBe('Plan folder');
    expect(text('[data-action="export-folder"]')).toBe('Export to a folder…');
    expect(text('[data-action="import-folder"]')).toBe('Import from a folder…');
    expect(text('[data-testid="linked-folder"]')).toBe('No folder is linked');
    expect(container.querySelector('[data-action="check-linked"]')).toBeNull();
    expect(container.querySelector('[data-action="unlink-folder"]')).toBeNull();
  });

  it('exports to the chosen folder and shows the summary', async () => {
    const summary = 'Exported the plan to /tmp/plan: 17 file(s) written, 0 unchanged, 0 removed';
    api.pickFolder.mockResolvedValueOnce('/tmp/plan');
    api.exportPlanFolder.mockResolvedValueOnce(summary);
    const { click, text, q } = await shown();
    await click('[data-action="export-folder"]');
    await waitFor(() => expect(text('[data-testid="folder-status"]')).toBe(summary));
    expect(q('[data-testid="folder-status"]')?.getAttribute('role')).toBe('status');
    expect(api.pickFolder).toHaveBeenCalledWith('Export the plan to a folder');
    expect(api.exportPlanFolder).toHaveBeenCalledWith('/tmp/plan');
    expect(q('[data-testid="folder-error"]')).toBeNull();
  });

  it('says why an export was refused', async () => {
    api.pickFolder.mockResolvedValueOnce('/home/ada');
    api.exportPlanFolder.mockRejectedValueOnce({
      code: 'refused',
      message: '/home/ada holds files that are not part of a plan',
    });
    const { click, text } = await shown();
    await click('[data-action="export-folder"]');
    await waitFor(() =>
      expect(text('[data-testid="folder-error"]')).toBe(
        'Could not export the plan: /home/ada holds files that are not part of a plan',
      ),
    );
    expect(text('[data-testid="folder-status"]')).toBe('');
  });

  it('does nothing when the folder chooser is cancelled', async () => {
    api.pickFolder.mockResolvedValue(null);
    const { click, q, text } = await shown();
    const actions = ['export-folder', 'import-folder', 'link-folder'];
    for (const [i, action] of actions.entries()) {
      await click(`[data-action="${action}"]`);
      await waitFor(() => expect(api.pickFolder).toHaveBeenCalledTimes(i + 1));
      await waitFor(() =>
        expect(q(`[data-action="${action}"]`)?.hasAttribute('disabled')).toBe(false),
      );
    }
    expect(api.exportPlanFolder).not.toHaveBeenCalled();
    expect(api.previewPlanFolder).not.toHaveBeenCalled();
    expect(api.setLinkedFolder).not.toHaveBeenCalled();
    expect(q('[data-testid="folder-preview"]')).toBeNull();
    expect(q('[data-testid="folder-error"]')).toBeNull();
    expect(text('[data-testid="folder-status"]')).toBe('');
  });

  it('previews an import, asks, imports the folder and clears the preview', async () => {
    api.pickFolder.mockResolvedValueOnce('/repo/plan');
    api.previewPlanFolder.mockResolvedValueOnce(preview('/repo/plan', { changes: CHANGES }));
    api.importPlanFolder.mockResolvedValueOnce({
      id: 9,
      createdAt: '2026-03-04T09:05:00Z',
      author: 'Ada',
      summary: 'Imported the plan from /repo/plan',
    });
    const { click, q, text, container } = await shown();
    await click('[data-action="import-folder"]');
    await waitFor(() => expect(q('[data-testid="folder-preview"]')).not.toBeNull());
    expect(api.pickFolder).toHaveBeenCalledWith('Import the plan from a folder');
    expect(api.previewPlanFolder).toHaveBeenCalledWith('/repo/plan');
    expect(text('[data-testid="folder-preview"] .dir')).toBe('Folder: /repo/plan');
    expect(container.querySelectorAll('[data-testid="diff"] article').length).toBe(2);
    expect(text('[data-testid="diff"]')).toContain('<b>Gas</b> surge');
    expect(container.querySelector('[data-testid="diff"] b')).toBeNull();
    expect(text('[data-action="import-confirm"]')).toBe('Import 2 changes');

    await click('[data-action="import-confirm"]');
    expect(q('[data-testid="confirm"]')?.closest('[data-section]')).not.toBeNull();
    expect(q('[data-testid="confirm"]')?.hasAttribute('data-section')).toBe(false);
    await click('[data-action="dismiss"]');
    expect(q('[data-testid="confirm"]')).toBeNull();
    expect(api.importPlanFolder).not.toHaveBeenCalled();

    await click('[data-action="import-confirm"]');
    await click('[data-action="confirm"]');
    await waitFor(() =>
      expect(text('[data-testid="folder-status"]')).toBe(
        'Imported: Imported the plan from /repo/plan',
      ),
    );
    expect(api.importPlanFolder).toHaveBeenCalledWith('/repo/plan');
    expect(q('[data-testid="folder-preview"]')).toBeNull();
    expect(container.querySelectorAll('[data-section]').length).toBe(1);
  });

  it('lists every located problem, warnings apart, and offers no import', async () => {
    const errors = [
      '/repo/plan/issues.toml:38:12: unknown severity `S5`: use `S1`, `S2`, `S3` or `S4`',
      '/repo/plan/plan.toml:1:1: <i>missing</i> field `name`',
    ];
    const warnings = ['/repo/plan/extended-team.toml:11:17: warning: last verified 365 days ago'];
    api.pickFolder.mockResolvedValueOnce('/repo/plan');
    api.previewPlanFolder.mockResolvedValueOnce(
      preview('/repo/plan', { changes: CHANGES, errors, warnings }),
    );
    const { click, q, text, container } = await shown();
    await click('[data-action="import-folder"]');
    await waitFor(() => expect(q('[data-testid="folder-preview"]')).not.toBeNull());
    expect(text('[data-testid="folder-preview"] [role="alert"]')).toBe(
      'This folder has 2 problems; nothing can be imported until they are fixed.',
    );
    const lines = (id: string) =>
      Array.from(container.querySelectorAll(`[data-testid="${id}"]`)).map((li) => li.textContent);
    expect(lines('folder-problem')).toEqual(errors);
    expect(lines('folder-warning')).toEqual(warnings);
    expect(container.querySelector('[data-testid="folder-problem"] i')).toBeNull();
    expect(q('[data-action="import-confirm"]')).toBeNull();
    expect(q('[data-testid="diff"]')).toBeNull();
  });

  it('says when the folder matches the stored plan', async () => {
    api.pickFolder.mockResolvedValueOnce('/repo/plan');
    api.previewPlanFolder.mockResolvedValueOnce(preview('/repo/plan'));
    const { click, q, text } = await shown();
    await click('[data-action="import-folder"]');
    await waitFor(() => expect(q('[data-testid="folder-preview"]')).not.toBeNull());
    expect(text('[data-testid="folder-preview"] .same')).toBe(
      'The folder matches the stored plan.',
    );
    expect(q('[data-action="import-confirm"]')).toBeNull();
  });

  it('shows the preview kept in the store on arrival', async () => {
    folder.preview = preview('/linked', { changes: CHANGES });
    const { q, text } = await shown();
    expect(text('[data-testid="folder-preview"] .dir')).toBe('Folder: /linked');
    expect(q('[data-action="import-confirm"]')).not.toBeNull();
  });

  it('links a folder with the chosen write-back, checks it, changes the setting, unlinks', async () => {
    api.pickFolder.mockResolvedValueOnce('/linked');
    api.setLinkedFolder.mockImplementation(async (dir: string | null, writeBack: boolean) => ({
      dir,
      writeBack: dir !== null && writeBack,
    }));
    const { click, q, text } = await shown();
    const box = () => q('input[name="writeBack"]') as HTMLInputElement;
    await click('input[name="writeBack"]');
    expect(box().checked).toBe(true);
    expect(api.setLinkedFolder).not.toHaveBeenCalled();

    await click('[data-action="link-folder"]');
    await waitFor(() => expect(text('[data-testid="linked-folder"]')).toBe('Linked to /linked'));
    expect(api.pickFolder).toHaveBeenCalledWith('Link a plan folder');
    expect(api.setLinkedFolder).toHaveBeenLastCalledWith('/linked', true);
    expect(box().checked).toBe(true);

    api.previewPlanFolder.mockResolvedValueOnce(preview('/linked'));
    await click('[data-action="check-linked"]');
    await waitFor(() => expect(q('[data-testid="folder-preview"] .same')).not.toBeNull());
    expect(api.previewPlanFolder).toHaveBeenCalledWith('/linked');

    await click('input[name="writeBack"]');
    await waitFor(() => expect(api.setLinkedFolder).toHaveBeenLastCalledWith('/linked', false));
    await waitFor(() => expect(box().checked).toBe(false));

    await click('[data-action="unlink-folder"]');
    await waitFor(() => expect(text('[data-testid="linked-folder"]')).toBe('No folder is linked'));
    expect(api.setLinkedFolder).toHaveBeenLastCalledWith(null, false);
    expect(q('[data-action="check-linked"]')).toBeNull();
  });
});
