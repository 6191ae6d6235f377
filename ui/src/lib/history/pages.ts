// The history's page, loaded on its first visit: imported only as `import('../history/pages')`.
export { default as HistoryPage } from './HistoryPage.svelte';
