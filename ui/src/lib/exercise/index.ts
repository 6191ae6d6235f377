// Exercises' public surface: their pages (the participant window's included), the words
// readiness shares, and the cached exercise list.
// Other folders import this domain only through this file (see lib/boundaries.test.ts).
export { default as ExercisePage } from './ExercisePage.svelte';
export { default as ExercisesPage } from './ExercisesPage.svelte';
export { default as NewExercisePage } from './NewExercisePage.svelte';
export { default as ParticipantPage } from './console/ParticipantPage.svelte';
export { MEASURES, dayLabel, daysBetween, dueIn, durationLabel, measureLabel } from './labels';
export { ExerciseList, exercises, watchExercises } from './store.svelte';
