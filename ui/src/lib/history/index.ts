// The history's public surface: the diff view the plan folder page reuses.
// Other folders import this domain only through this file, and its pages through pages.ts,
// loaded on first visit (see lib/boundaries.test.ts).
export { default as DiffView } from './DiffView.svelte';
