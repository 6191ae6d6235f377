// The plan's public surface (its section pages are in pages.ts): the words and look-ups other domains show the
// plan with, the choices their forms offer, and the plan store.
// Other folders import this domain only through this file, and its pages through pages.ts,
// loaded on first visit (see lib/boundaries.test.ts).
export { default as CodeText } from './CodeText.svelte';
export { default as ConflictBanner } from './ConflictBanner.svelte';
export { conflictScope } from './conflicts.svelte';
export { default as ExampleBanner } from './ExampleBanner.svelte';
export { default as OverviewPage } from './OverviewPage.svelte';
export { default as SeverityBadge } from './SeverityBadge.svelte';
export { SEVERITY_OPTIONS, categoryOptions, contactIds, contactOptions } from './edit/options';
export {
  audienceLabel,
  codeSegments,
  count,
  exercisePolicyText,
  minutesLabel,
  monitoringLabel,
  notifyWhenLabel,
  severityLabel,
  timingLabel,
} from './labels';
export {
  additionalText,
  appliesTo,
  categoryName,
  decisionTitle,
  decisionView,
  displayName,
  issuesByCategory,
  ownersOf,
  procedureView,
  sectionCounts,
  countsByPage,
  personName,
} from './lookup';
export { OutlineStore, PlanStore, type Loaded } from './store.svelte';
