// The plan's section pages, loaded on their first visit: the app frame imports this file only as
// `import('../plan/pages')`, so the launch (the Overview) does not carry them.
export { default as CommunicationsPage } from './CommunicationsPage.svelte';
export { default as DecisionsPage } from './DecisionsPage.svelte';
export { default as EscalationPage } from './EscalationPage.svelte';
export { default as IssuePage } from './IssuePage.svelte';
export { default as IssuesPage } from './IssuesPage.svelte';
export { default as ProcedurePage } from './ProcedurePage.svelte';
export { default as ProceduresPage } from './ProceduresPage.svelte';
export { default as TeamPage } from './TeamPage.svelte';
