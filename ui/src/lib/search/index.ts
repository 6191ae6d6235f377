// Search's public surface: the palette.
// Other folders import this domain only through this file (see lib/boundaries.test.ts).
export { default as Palette } from './Palette.svelte';
