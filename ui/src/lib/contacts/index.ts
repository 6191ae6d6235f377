// The contacts import's public surface: the button (and dialog) the team pages show.
// Other folders import this domain only through this file (see lib/boundaries.test.ts).
export { default as ImportContacts } from './ImportContacts.svelte';
