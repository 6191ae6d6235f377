// The plan folder's page, loaded on its first visit: imported only as `import('../folder/pages')`.
export { default as FolderPage } from './FolderPage.svelte';
