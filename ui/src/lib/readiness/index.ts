// Readiness's public surface: its page.
// Other folders import this domain only through this file (see lib/boundaries.test.ts).
export { default as ReadinessPage } from './ReadinessPage.svelte';
