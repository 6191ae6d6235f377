// The plan check's page, loaded on its first visit: imported only as `import('../check/pages')`.
export { default as CheckPage } from './CheckPage.svelte';
