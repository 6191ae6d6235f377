// Previews the folder tests share.
import type { DiffEntry, FolderPreview } from '../api';

export const CHANGES: DiffEntry[] = [
  {
    section: 'issues',
    key: 'gas',
    title: 'Gas spike',
    kind: 'changed',
    fields: [{ field: 'title', before: 'Gas spike', after: '<b>Gas</b> surge' }],
  },
  { section: 'issues', key: 'bridge', title: 'Bridge halt', kind: 'added', fields: [] },
];

export function preview(dir: string, parts: Partial<FolderPreview> = {}): FolderPreview {
  return { dir, changes: [], errors: [], warnings: [], ...parts };
}
