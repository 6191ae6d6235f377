// The plan folder's public surface: its page, the banner, and the watcher of the linked folder.
// Other folders import this domain only through this file (see lib/boundaries.test.ts).
export { default as FolderBanner } from './FolderBanner.svelte';
export { default as FolderPage } from './FolderPage.svelte';
export { watchLinkedFolder } from './folder.svelte';
