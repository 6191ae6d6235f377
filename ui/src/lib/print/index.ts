// Printing's public surface: the print view.
// Other folders import this domain only through this file (see lib/boundaries.test.ts).
export { default as PrintView } from './PrintView.svelte';
