// Incidents' public surface: their dialogs (their pages are in pages.ts), the alerts, the declare request, the
// phase words exercises share, and the cached incident list.
// Other folders import this domain only through this file, and its pages through pages.ts,
// loaded on first visit (see lib/boundaries.test.ts).
export { default as AlertStack } from './AlertStack.svelte';
export { default as DeclareDialog } from './DeclareDialog.svelte';
export { alerts, watchAlerts } from './alerts.svelte';
export { closeDeclare, declaring, openDeclare } from './declare.svelte';
export { isOpen, phaseLabel } from './labels';
export { incidents, watchIncidents } from './store.svelte';
export type { IncidentList } from './store.svelte';
