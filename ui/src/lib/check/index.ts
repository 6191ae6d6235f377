// The plan check's public surface: its page, the cached check, and the sidebar's badge.
// Other folders import this domain only through this file (see lib/boundaries.test.ts).
export { default as CheckPage } from './CheckPage.svelte';
export { PlanCheck } from './check.svelte';
export { badgeFor } from './gaps';
export type { Badge } from './gaps';
