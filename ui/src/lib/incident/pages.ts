// Incidents' pages, loaded on their first visit: the app frame imports this file only as
// `import('../incident/pages')`, so the launch (the Overview) does not carry them.
export { default as IncidentConsole } from './IncidentConsole.svelte';
export { default as IncidentsPage } from './IncidentsPage.svelte';
