// The history's public surface: its page, and the diff view the plan folder page reuses.
// Other folders import this domain only through this file (see lib/boundaries.test.ts).
export { default as DiffView } from './DiffView.svelte';
export { default as HistoryPage } from './HistoryPage.svelte';
