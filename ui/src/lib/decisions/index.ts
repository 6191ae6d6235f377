// Signed decisions' public surface: the request dialog and state chip the
// incident console shows, and the cached decisions.
// Other folders import this domain only through this file, and its pages through pages.ts,
// loaded on first visit (see lib/boundaries.test.ts).
export { default as RequestDialog } from './RequestDialog.svelte';
export { default as StateChip } from './StateChip.svelte';
export { DecisionList, decisions, watchDecisions } from './store.svelte';
