// This session's undo and the status line (toast) that reports what was done. Every page that
// changes something shows the line; Ctrl+Z undoes this session's newest revision.
// Other folders import this domain only through this file (see lib/boundaries.test.ts).
export { default as Toast } from './Toast.svelte';
export { toasts, undo } from './undo.svelte';
