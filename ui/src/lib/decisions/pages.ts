// The decisions log's page, loaded on its first visit: imported only as
// `import('../decisions/pages')`.
export { default as DecisionsLogPage } from './DecisionsLogPage.svelte';
