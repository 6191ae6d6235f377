// Exercises' public surface (their pages are in pages.ts): the words readiness shares, and the
// cached exercise list.
// Other folders import this domain only through this file, and its pages through pages.ts,
// loaded on first visit (see lib/boundaries.test.ts).
export { MEASURES, dayLabel, daysBetween, dueIn, durationLabel, measureLabel } from './labels';
export { ExerciseList, exercises, watchExercises } from './store.svelte';
