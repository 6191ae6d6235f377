// The plan folder's public surface: the banner and the watcher of the linked folder.
// Other folders import this domain only through this file, and its pages through pages.ts,
// loaded on first visit (see lib/boundaries.test.ts).
export { default as FolderBanner } from './FolderBanner.svelte';
export { watchLinkedFolder } from './folder.svelte';
