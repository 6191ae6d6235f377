import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const api = vi.hoisted(() => ({
  actOnExercise: vi.fn(),
  getExerciseReport: vi.fn(),
  saveExerciseReport: vi.fn(),
  chooseAttachmentFile: vi.fn(),
}));
vi.mock('../../api', async (original) => ({ ...(await original<object>()), ...api }));

import type { Attachment, ExerciseAction, ExerciseView } from '../../api';
import { toasts } from '../../undo';
import { fixturePlan } from '../../plan/fixture';
import { endedView } from './fixture';
import ReportTab from './ReportTab.svelte';

const REPORT = '# After-action report: Spring exercise\n\n<b>not bold</b>\n';

beforeEach(() => {
  for (const fn of Object.values(api)) {
    fn.mockReset();
  }
  toasts.clear();
  api.getExerciseReport.mockResolvedValue(REPORT);
});

function attachment(over: Partial<Attachment> = {}): Attachment {
  return {
    number: 1,
    kind: 'link',
    label: 'Recording of the session',
    target: 'https://drive.example.com/q4.mp4',
    addedAt: '2026-03-04T16:00:00Z',
    ...over,
  };
}

function withAttachments(attachments: Attachment[], notes = ''): ExerciseView {
  const view = endedView();
  return { ...view, exercise: { ...view.exercise, attachments, notes } };
}

function open(view: ExerciseView = endedView()) {
  const onchange = vi.fn((next: ExerciseView) => void rendered.rerender({ view: next }));
  const rendered = render(ReportTab, { plan: fixturePlan(), view, onchange });
  const q = <T extends Element = HTMLElement>(selector: string) =>
    document.body.querySelector<T>(selector) as T;
  const all = (selector: string) => Array.from(document.body.querySelectorAll(selector));
  return { ...rendered, q, all, onchange };
}

function text(el: Element | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

function acted(): ExerciseAction[] {
  return api.actOnExercise.mock.calls.map(([id, action]) => {
    expect(id).toBe('EX-1');
    return action as ExerciseAction;
  });
}

describe('ReportTab', () => {
  it('shows the report rendered as Markdown, its raw HTML as text, and its source on demand', async () => {
    const { q, container } = open();
    await waitFor(() => expect(q('[data-testid="report-preview"]')).not.toBeNull());
    const preview = q('[data-testid="report-preview"]');
    // The renderer loads on first use.
    await waitFor(() =>
      expect(preview.querySelector('h1')?.textContent).toBe('After-action report: Spring exercise'),
    );
    // Text that looks like HTML is shown as written, never as markup.
    expect(preview.querySelector('b')).toBeNull();
    expect(preview.textContent).toContain('<b>not bold</b>');
    expect(api.getExerciseReport).toHaveBeenCalledWith('EX-1', 'markdown');
    expect(container.querySelectorAll('[data-section], [data-row], [style]').length).toBe(0);
    await fireEvent.click(q('[data-action="show-source"]'));
    const source = q('[data-testid="report-source"]');
    expect(source.tagName).toBe('PRE');
    expect(source.textContent).toBe(REPORT);
    await fireEvent.click(q('[data-action="show-rendered"]'));
    expect(q('[data-testid="report-preview"]')).not.toBeNull();
  });

  it('says when the report cannot be written, and tries again', async () => {
    api.getExerciseReport.mockRejectedValueOnce({ code: 'internal', message: 'boom' });
    const { q } = open();
    await waitFor(() =>
      expect(text(q('[data-testid="report-error"] p'))).toBe('Could not write the report: boom'),
    );
    await fireEvent.click(q('[data-testid="report-error"] button'));
    await waitFor(() => expect(q('[data-testid="report-preview"]')).not.toBeNull());
    expect(q('[data-testid="report-error"]')).toBeNull();
  });

  it('saves the report as Markdown or HTML, saying where; cancelled says nothing', async () => {
    api.saveExerciseReport.mockResolvedValueOnce({
      path: '/home/ada/EX-1-after-action.html',
      copied: ['call.mp4'],
      missing: [],
    });
    api.saveExerciseReport.mockResolvedValueOnce(null);
    const { q } = open();
    await fireEvent.click(q('[data-testid="save-report"][data-format="html"]'));
    await waitFor(() =>
      expect(toasts.current?.text).toBe('Saved the report to /home/ada/EX-1-after-action.html'),
    );
    toasts.clear();
    await fireEvent.click(q('[data-testid="save-report"][data-format="markdown"]'));
    await waitFor(() => expect(api.saveExerciseReport).toHaveBeenCalledTimes(2));
    expect(api.saveExerciseReport.mock.calls).toEqual([
      ['EX-1', 'html'],
      ['EX-1', 'markdown'],
    ]);
    expect(toasts.current).toBeUndefined();
  });

  it('says which attached files could not go with the saved report', async () => {
    api.saveExerciseReport.mockResolvedValueOnce({
      path: '/home/ada/EX-1-after-action.md',
      copied: ['notes.txt'],
      missing: ['call.mp4'],
    });
    const { q } = open();
    await fireEvent.click(q('[data-testid="save-report"][data-format="markdown"]'));
    await waitFor(() => expect(toasts.current?.problem).toBe(true));
    expect(toasts.current?.text).toContain('/home/ada/EX-1-after-action.md');
    expect(toasts.current?.text).toContain('without call.mp4');
  });

  it('attaches a link, checking the address first, and refreshes the preview', async () => {
    api.actOnExercise.mockResolvedValue(withAttachments([attachment()]));
    const { q, all } = open();
    await waitFor(() => expect(api.getExerciseReport).toHaveBeenCalledTimes(1));
    await fireEvent.input(q('[data-testid="attach-label"]'), {
      target: { value: 'Recording of the session' },
    });
    await fireEvent.input(q('[data-testid="attach-url"]'), { target: { value: 'ftp://x' } });
    await fireEvent.click(q('[data-testid="attach-link"]'));
    expect(text(q('[data-testid="attach-error"]'))).toBe(
      'Nothing was attached Only web addresses starting with http:// or https:// can be attached as links.',
    );
    expect(api.actOnExercise).not.toHaveBeenCalled();
    await fireEvent.input(q('[data-testid="attach-url"]'), {
      target: { value: ' https://drive.example.com/q4.mp4 ' },
    });
    await fireEvent.click(q('[data-testid="attach-link"]'));
    await waitFor(() => expect(all('[data-testid="attachment-row"]').length).toBe(1));
    expect(acted()).toEqual([
      {
        action: 'attach',
        kind: 'link',
        label: 'Recording of the session',
        target: 'https://drive.example.com/q4.mp4',
      },
    ]);
    expect(q<HTMLInputElement>('[data-testid="attach-url"]').value).toBe('');
    expect(q('[data-testid="attach-error"]')).toBeNull();
    await waitFor(() => expect(api.getExerciseReport).toHaveBeenCalledTimes(2));
  });

  it('attaches a chosen file under its name; a cancelled choice does nothing', async () => {
    api.chooseAttachmentFile.mockResolvedValueOnce(null);
    api.chooseAttachmentFile.mockResolvedValueOnce('/home/ada/Recordings/session.mp4');
    api.actOnExercise.mockResolvedValue(
      withAttachments([attachment({ kind: 'file', label: 'session.mp4', target: 'session.mp4' })]),
    );
    const { q } = open();
    await fireEvent.click(q('[data-testid="attach-file"]'));
    await waitFor(() => expect(api.chooseAttachmentFile).toHaveBeenCalledTimes(1));
    expect(api.actOnExercise).not.toHaveBeenCalled();
    await fireEvent.click(q('[data-testid="attach-file"]'));
    await waitFor(() => expect(q('[data-testid="attachment-row"]')).not.toBeNull());
    expect(acted()).toEqual([
      {
        action: 'attach',
        kind: 'file',
        label: 'session.mp4',
        target: '/home/ada/Recordings/session.mp4',
      },
    ]);
    expect(text(q('[data-testid="attachment-row"]'))).toContain('File: session.mp4');
  });

  it('removes an attachment after asking', async () => {
    api.actOnExercise.mockResolvedValue(withAttachments([]));
    const { q } = open(withAttachments([attachment()]));
    await fireEvent.click(q('[data-testid="attachment-remove"]'));
    expect(text(q('[data-testid="confirm"] h2'))).toBe('Remove “Recording of the session”?');
    await fireEvent.click(q('[data-action="dismiss"]'));
    expect(api.actOnExercise).not.toHaveBeenCalled();
    await fireEvent.click(q('[data-testid="attachment-remove"]'));
    await fireEvent.click(q('[data-action="confirm"]'));
    await waitFor(() => expect(q('[data-testid="attachment-row"]')).toBeNull());
    expect(acted()).toEqual([{ action: 'removeAttachment', number: 1 }]);
  });

  it('saves the notes', async () => {
    api.actOnExercise.mockResolvedValue(withAttachments([], 'Hot wash: quorum was slow.'));
    const { q } = open(withAttachments([], 'Old'));
    const notes = q<HTMLTextAreaElement>('[data-testid="notes"]');
    expect(notes.value).toBe('Old');
    await fireEvent.input(notes, { target: { value: 'Hot wash: quorum was slow.' } });
    await fireEvent.click(q('[data-testid="save-notes"]'));
    await waitFor(() => expect(text(q('.notes-actions [role="status"]'))).toBe('Saved'));
    expect(acted()).toEqual([{ action: 'saveNotes', text: 'Hot wash: quorum was slow.' }]);
    expect(notes.value).toBe('Hot wash: quorum was slow.');
  });
});
