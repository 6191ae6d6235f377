// The plan check's public surface: the cached check and the sidebar's badge.
// Other folders import this domain only through this file, and its pages through pages.ts,
// loaded on first visit (see lib/boundaries.test.ts).
export { PlanCheck } from './check.svelte';
export { badgeFor } from './gaps';
export type { Badge } from './gaps';
