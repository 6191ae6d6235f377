// Navigation's public surface: the routes (and links to them) and the router that follows them.
// Other folders import this domain only through this file (see lib/boundaries.test.ts).
export {
  goTo,
  keepUnsaved,
  leaveAnyway,
  navigate,
  router,
  startRouter,
  stayHere,
} from './router.svelte';
export {
  EXERCISE_TABS,
  SECTIONS,
  decisionHref,
  decisionLogHref,
  elementHref,
  exerciseHref,
  exercisesHref,
  incidentHref,
  issueHref,
  newExerciseHref,
  pageForShortcut,
  pageHref,
  pageOf,
  participantHref,
  procedureHref,
  sectionInfo,
  sectionLabel,
} from './routes';
export type { ExerciseTab, PageKey, Route, SectionKey } from './routes';
