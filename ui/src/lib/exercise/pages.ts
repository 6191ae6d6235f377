// Exercises' pages (the participants' window's included), loaded on their first visit: imported
// only as `import('…/exercise/pages')`, so the launch does not carry them.
export { default as ExercisePage } from './ExercisePage.svelte';
export { default as ExercisesPage } from './ExercisesPage.svelte';
export { default as NewExercisePage } from './NewExercisePage.svelte';
export { default as ParticipantPage } from './console/ParticipantPage.svelte';
