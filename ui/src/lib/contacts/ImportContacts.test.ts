import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../api', async (original) => ({
  ...(await original<typeof import('../api')>()),
  pickContactsFile: vi.fn(),
  previewContacts: vi.fn(),
  importContacts: vi.fn(),
}));

import {
  ApiError,
  importContacts,
  pickContactsFile,
  previewContacts,
  type ContactsPreview,
} from '../api';
import { toasts } from '../undo';
import { act, choose, find, revision } from '../plan/edit/testing';
import { TeamPage } from '../plan/pages';
import { fixturePlan } from '../plan/fixture';
import ImportContacts from './ImportContacts.svelte';
import { buildMapping, mappingProblem } from './mapping';

const pick = vi.mocked(pickContactsFile);
const previewOf = vi.mocked(previewContacts);
const run = vi.mocked(importContacts);

const CSV: ContactsPreview = {
  path: '/home/ada/people.csv',
  csv: {
    headers: ['Full name', 'Title', 'E-mail', 'Notes'],
    firstRows: [
      ['Ada Lovelace', 'CEO', 'ada@example.com', '<b>not html</b>'],
      ['Eli Park', 'Engineer', 'eli@example.com', ''],
    ],
    rows: 12,
    suggested: {
      columns: [
        { header: 'full name', field: 'name' },
        { header: 'E-mail', field: 'email' },
      ],
    },
  },
  cards: [],
  errors: [],
};

const VCARD: ContactsPreview = {
  path: '/home/ada/people.vcf',
  csv: null,
  cards: [
    {
      name: 'Ada Lovelace',
      role: 'CEO',
      organisation: '',
      reach: { email: 'ada@example.com', chat: null, phone: null },
      line: 1,
    },
    {
      name: 'Eli Park',
      role: '',
      organisation: 'Acme',
      reach: { email: null, chat: null, phone: '+1 555' },
      line: 9,
    },
  ],
  errors: [],
};

beforeEach(() => {
  pick.mockReset();
  previewOf.mockReset();
  run.mockReset();
  toasts.clear();
});

const dialog = () => document.body.querySelector<HTMLElement>('[data-testid="contacts-import"]');
const select = (i: number) => find<HTMLSelectElement>(dialog() as HTMLElement, `[name="map-${i}"]`);

/** Opens the dialog from the button alone, or (`onPage`) from the Extended team page. */
async function open(preview: ContactsPreview, onPage = false) {
  pick.mockResolvedValue(preview.path);
  previewOf.mockResolvedValue(preview);
  const view = onPage
    ? render(TeamPage, { plan: fixturePlan(), team: 'extended' })
    : render(ImportContacts, { team: 'core' });
  await act(view.container, 'import-contacts');
  return waitFor(() => {
    const found = dialog();
    expect(found).not.toBeNull();
    return found as HTMLElement;
  });
}

describe('the entry button', () => {
  it('is on both team pages, outside any row', () => {
    for (const team of ['core', 'extended'] as const) {
      const { container, unmount } = render(TeamPage, { plan: fixturePlan(), team });
      const button = find(container, 'header [data-action="import-contacts"]');
      expect(button.textContent).toBe('Import contacts…');
      expect(button.closest('[data-row]')).toBeNull();
      unmount();
    }
  });

  it('does nothing when the file chooser is cancelled', async () => {
    pick.mockResolvedValue(null);
    const { container } = render(ImportContacts, { team: 'core' });
    await act(container, 'import-contacts');
    await waitFor(() => expect(pick).toHaveBeenCalledOnce());
    expect(previewOf).not.toHaveBeenCalled();
    expect(dialog()).toBeNull();
    expect(toasts.current).toBeUndefined();
  });
});

describe('a CSV file', () => {
  it('fills the selects from the suggested mapping and shows the rows as text', async () => {
    const sheet = await open(CSV);
    expect(previewOf).toHaveBeenCalledWith('/home/ada/people.csv');
    expect(sheet.getAttribute('role')).toBe('dialog');
    expect(sheet.getAttribute('aria-modal')).toBe('true');
    expect(sheet.hasAttribute('data-section')).toBe(false);
    expect(sheet.querySelector('[data-row]')).toBeNull();
    expect(sheet.contains(document.activeElement)).toBe(true);
    expect(sheet.textContent).toContain('/home/ada/people.csv');
    expect(sheet.textContent).toContain('12 contacts in the file');
    expect([0, 1, 2, 3].map((i) => select(i).value)).toEqual(['name', '', 'email', '']);
    expect(Array.from(select(0).options).map((o) => o.text)).toEqual([
      'Ignore',
      'Name',
      'Given name',
      'Family name',
      'Role',
      'Organisation',
      'Email',
      'Chat',
      'Phone',
    ]);
    expect(sheet.textContent).toContain('<b>not html</b>');
    expect(sheet.querySelector('b')).toBeNull();
    expect(find(sheet, '[data-action="import-contacts-confirm"]').textContent).toBe(
      'Import 12 contacts',
    );
  });

  it('sends the mapping the selects make, and the chosen team; the page shows the count', async () => {
    run.mockResolvedValue(revision(7, 'Imported 12 contact(s)'));
    const sheet = await open(CSV, true);
    expect(find<HTMLInputElement>(sheet, 'input[value="extended"]').checked).toBe(true);
    await choose(sheet, 'map-1', 'role');
    await choose(sheet, 'map-2', '');
    await fireEvent.click(find(sheet, 'input[value="core"]'));
    await act(sheet, 'import-contacts-confirm');
    expect(run).toHaveBeenCalledWith(
      '/home/ada/people.csv',
      {
        columns: [
          { header: 'Full name', field: 'name' },
          { header: 'Title', field: 'role' },
        ],
      },
      'core',
    );
    await waitFor(() => expect(dialog()).toBeNull());
    expect(find(document.body, '[data-testid="toast"]').textContent).toContain(
      'Imported 12 contacts',
    );
  });

  it('blocks the import until a column holds the names', async () => {
    const sheet = await open(CSV);
    await choose(sheet, 'map-0', '');
    expect(find(sheet, '[data-testid="mapping-problem"]').textContent).toBe(
      "Choose the column with each person's name",
    );
    const confirm = find<HTMLButtonElement>(sheet, '[data-action="import-contacts-confirm"]');
    expect(confirm.disabled).toBe(true);
    await act(sheet, 'import-contacts-confirm');
    expect(run).not.toHaveBeenCalled();

    await choose(sheet, 'map-0', 'givenName');
    await choose(sheet, 'map-1', 'familyName');
    expect(sheet.querySelector('[data-testid="mapping-problem"]')).toBeNull();
    expect(confirm.disabled).toBe(false);
  });

  it('shows a refusal in the dialog and keeps the choices', async () => {
    const message = 'nothing was imported: /home/ada/people.csv:3:1: this contact has no name';
    run.mockRejectedValue(new ApiError('refused', message));
    const sheet = await open(CSV);
    await choose(sheet, 'map-1', 'role');
    await act(sheet, 'import-contacts-confirm');
    const alert = await waitFor(() => find(sheet, '[data-testid="import-error"]'));
    expect(alert.textContent).toBe(message);
    expect(dialog()).toBe(sheet);
    expect(select(1).value).toBe('role');
  });
});

describe('other files', () => {
  it('lists the problems of a file and offers no import', async () => {
    const sheet = await open({
      path: '/home/ada/bad.csv',
      csv: null,
      cards: [],
      errors: ['/home/ada/bad.csv:1:9: the header has the column `Email` twice'],
    });
    const problems = sheet.querySelectorAll('[data-testid="contacts-problem"]');
    expect(Array.from(problems).map((p) => p.textContent)).toEqual([
      '/home/ada/bad.csv:1:9: the header has the column `Email` twice',
    ]);
    expect(sheet.querySelector('[data-action="import-contacts-confirm"]')).toBeNull();
    await fireEvent.keyDown(sheet, { key: 'Escape' });
    expect(dialog()).toBeNull();
  });

  it('lists the contacts of a vCard and imports it without a mapping', async () => {
    run.mockResolvedValue(revision(8));
    const sheet = await open(VCARD);
    const cards = Array.from(sheet.querySelectorAll('[data-testid="contacts-card"]'));
    expect(cards.map((c) => c.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      'Ada Lovelace · CEO · ada@example.com',
      'Eli Park',
    ]);
    expect(sheet.querySelector('select')).toBeNull();
    await act(sheet, 'import-contacts-confirm');
    expect(run).toHaveBeenCalledWith('/home/ada/people.vcf', null, 'core');
    await waitFor(() => expect(toasts.current?.text).toBe('Imported 2 contacts'));
  });

  it('closes on Cancel without importing', async () => {
    const sheet = await open(VCARD);
    await act(sheet, 'cancel');
    expect(dialog()).toBeNull();
    expect(run).not.toHaveBeenCalled();
  });
});

describe('the mapping', () => {
  it('keeps only the columns that are not ignored, and refuses a field chosen twice', () => {
    expect(buildMapping(['A', 'B', 'C'], ['', 'phone', 'name'])).toEqual({
      columns: [
        { header: 'B', field: 'phone' },
        { header: 'C', field: 'name' },
      ],
    });
    expect(mappingProblem(['name', 'email', 'email'])).toBe(
      'Email is chosen for more than one column: choose each field for one column only',
    );
    expect(mappingProblem(['givenName', 'role'])).toBe("Choose the column with each person's name");
    expect(mappingProblem(['givenName', 'familyName'])).toBeUndefined();
  });
});
