// The pure logic of the exercise console and its tabs: reading the keyboard log's `#N ` prefix,
// clock and offset text, which scenario runs or comes next, and the plan elements a finding can
// point at. No state and no DOM here, so all of it is tested directly.
import type {
  Exercise,
  ExerciseView,
  Finding,
  FindingDraft,
  LogKind,
  Measure,
  MeasuredTarget,
  Phase,
  Plan,
  ReadBack,
  Scenario,
  ScenarioRun,
  Section,
  Target,
} from '../../api';
import { isDate } from '../../kit/dates';
import { audienceLabel } from '../../plan';

/** The longest line the log takes (the backend refuses longer ones). */
export const MAX_LOG_CHARS = 500;

export type ParsedLine =
  { ok: true; text: string; expected: number | null } | { ok: false; error: string };

/**
 * One line of the keyboard log. `#N ` in front links expected action N (1-based) and is taken
 * off the text; an N this scenario does not have, an empty text or a note that claims an
 * expected action are refused with a message saying why.
 */
export function parseLogLine(raw: string, expectedCount: number, kind: LogKind): ParsedLine {
  let text = raw.trim();
  let expected: number | null = null;
  const prefix = /^#(\d+)(?:\s+|$)/.exec(text);
  if (prefix !== null) {
    const n = Number(prefix[1]);
    if (!Number.isSafeInteger(n) || n < 1 || n > expectedCount) {
      return {
        ok: false,
        error:
          expectedCount === 0
            ? `There is no expected action #${prefix[1]}: this scenario expects none.`
            : `There is no expected action #${prefix[1]}: use #1 to #${expectedCount}.`,
      };
    }
    if (kind === 'note') {
      return {
        ok: false,
        error: 'A note never counts as an expected action: switch to Said (Alt+S) or Did (Alt+D).',
      };
    }
    expected = n;
    text = text.slice(prefix[0].length).trim();
  }
  if (text === '') {
    return {
      ok: false,
      error:
        expected === null
          ? 'Type what was said or done, then Enter.'
          : `Say what was done for #${expected}, e.g. “#${expected} Paused the pool”.`,
    };
  }
  if (/[\r\n]/.test(text)) {
    return { ok: false, error: 'One line per entry: log each thing on its own.' };
  }
  if ([...text].length > MAX_LOG_CHARS) {
    return {
      ok: false,
      error: `Keep an entry under ${MAX_LOG_CHARS} characters: split it into two.`,
    };
  }
  return { ok: true, text, expected };
}

/** Whole seconds from `from` to `to` (both RFC 3339), never negative. */
export function secondsBetween(from: string, to: string | number): number {
  const start = Date.parse(from);
  const end = typeof to === 'number' ? to : Date.parse(to);
  if (Number.isNaN(start) || Number.isNaN(end)) {
    return 0;
  }
  return Math.max(0, Math.floor((end - start) / 1000));
}

/** "04:07", "59:59", then "1:00:00": a clock from seconds. */
export function clockText(seconds: number | bigint | null | undefined): string {
  const total = Math.max(0, Math.floor(Number(seconds ?? 0)));
  const pad = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
}

/** "+04:07": when something happened, counted from the scenario's start. */
export function offsetText(seconds: number | bigint | null | undefined): string {
  return `+${clockText(seconds)}`;
}

/** The scenario running now, or else the last one run; undefined before the first. */
export function currentRun(exercise: Exercise): ScenarioRun | undefined {
  if (exercise.current !== null) {
    const running = exercise.runs.find((r) => r.scenario === exercise.current);
    if (running !== undefined) {
      return running;
    }
  }
  return exercise.runs.at(-1);
}

/** Whether a scenario runs now (started and not ended). */
export function isRunning(run: ScenarioRun | undefined): boolean {
  return run !== undefined && run.endedAt === null;
}

/** The first scenario of the set-up, in order, that has not run yet. */
export function nextScenario(exercise: Exercise): Scenario | undefined {
  const ran = new Set(exercise.runs.map((r) => r.scenario));
  return exercise.setup.scenarios.find((s) => !ran.has(s.key));
}

export type ScenarioState = 'ran' | 'running' | 'next' | 'waiting';

/** How each scenario of the set-up stands: ran, running, next or waiting. */
export function scenarioStates(exercise: Exercise): { scenario: Scenario; state: ScenarioState }[] {
  const next = nextScenario(exercise);
  return exercise.setup.scenarios.map((scenario) => {
    const run = exercise.runs.find((r) => r.scenario === scenario.key);
    let state: ScenarioState = 'waiting';
    if (run !== undefined) {
      state = run.endedAt === null ? 'running' : 'ran';
    } else if (scenario.key === next?.key) {
      state = 'next';
    }
    return { scenario, state };
  });
}

/** The set-up's scenario a run is of. */
export function scenarioOf(exercise: Exercise, key: string): Scenario | undefined {
  return exercise.setup.scenarios.find((s) => s.key === key);
}

/** "Scenario 2 of 3". */
export function scenarioNumber(exercise: Exercise, key: string): string {
  const index = exercise.setup.scenarios.findIndex((s) => s.key === key);
  return `Scenario ${index + 1} of ${exercise.setup.scenarios.length}`;
}

export function readBackOf(view: ExerciseView, scenario: string): ReadBack | undefined {
  return view.readBacks.find((r) => r.scenario === scenario);
}

/** The expected actions the read-back counts as taken (in or out of order). */
export function takenExpected(readBack: ReadBack | undefined): Set<string> {
  return new Set(
    (readBack?.expected ?? []).filter((row) => row.status !== 'missed').map((row) => row.key),
  );
}

/** The exercise incident's phase, as the view last gave it. */
export function incidentPhase(view: ExerciseView, incident: string): Phase | undefined {
  return view.phases.find((p) => p.incident === incident)?.phase;
}

/** When a run declared an inject, if it has. */
export function declaredAt(run: ScenarioRun, inject: string): string | undefined {
  return run.injects.find((i) => i.inject === inject)?.at;
}

export type InjectChoice = { ok: true; inject: string } | { ok: false; error: string };

/**
 * Inject N (1-based, as on its card and Alt+N) if it can be declared now; else why not: the
 * scenario has no inject N, or the run declared it already.
 */
export function injectToDeclare(scenario: Scenario, run: ScenarioRun, n: number): InjectChoice {
  const inject = scenario.injects[n - 1];
  if (inject === undefined) {
    return {
      ok: false,
      error:
        scenario.injects.length === 0
          ? `There is no inject ${n}: this scenario has none.`
          : `There is no inject ${n}: this scenario has ${scenario.injects.length}.`,
    };
  }
  if (declaredAt(run, inject.key) !== undefined) {
    return { ok: false, error: `Inject ${n} (“${inject.title}”) is already declared.` };
  }
  return { ok: true, inject: inject.key };
}

/** The 1-based number of a scenario's expected action, as `#N` in the log. */
export function expectedNumber(scenario: Scenario, key: string | null): number | undefined {
  if (key === null) {
    return undefined;
  }
  const index = scenario.expected.findIndex((e) => e.key === key);
  return index < 0 ? undefined : index + 1;
}

// ---- measured times ----------------------------------------------------------------------

/** After detection, the measures in the order an incident reaches them. */
export const MEASURE_ORDER: readonly Measure[] = [
  'escalation',
  'decisionQuorum',
  'action',
  'mitigated',
  'resolved',
];

/** The phases only shown when they were measured or a target asks for them. */
const PHASE_MEASURES: readonly Measure[] = ['mitigated', 'resolved'];

/** How a target stands: met, not met, not known yet, or no target at all. */
export type MetState = 'true' | 'false' | 'pending' | 'none';

export function metState(met: boolean | null | undefined): MetState {
  if (met === undefined) {
    return 'none';
  }
  if (met === null) {
    return 'pending';
  }
  return met ? 'true' : 'false';
}

/** "Met", "Not met", "Pending": the words of the read-back's target table. */
export function metWord(state: MetState): string {
  switch (state) {
    case 'true':
      return 'Met';
    case 'false':
      return 'Not met';
    case 'pending':
      return 'Pending';
    default:
      return '';
  }
}

/** Several targets on one measure: any not met counts, then any still pending. */
function worstMet(states: readonly MetState[]): MetState {
  for (const state of ['false', 'pending', 'true'] as const) {
    if (states.includes(state)) {
      return state;
    }
  }
  return 'none';
}

/** "+04:07", or "not yet" while the scenario still runs and "did not happen" once it ended. */
export function measuredText(
  seconds: number | bigint | null | undefined,
  running: boolean,
): string {
  if (seconds === null || seconds === undefined) {
    return running ? 'not yet' : 'did not happen';
  }
  return offsetText(seconds);
}

/** "≤ 15 min": a target's limit, from detection. */
export function withinText(minutes: number | bigint): string {
  return `≤ ${Number(minutes)} min`;
}

export type MeasuredRow = {
  measure: Measure | 'detection';
  /** Seconds from detection; null when it has not happened. */
  seconds: number | null;
  /** The scenario's targets on this measure, usually none or one. */
  targets: MeasuredTarget[];
  /** The row's standing: the worst of its targets, `none` without one. */
  met: MetState;
};

/**
 * One scenario's measured times in order: detection (always +00:00), escalation, decision
 * quorum and action, then mitigated and resolved only when measured or a target asks for them.
 */
export function measuredRows(readBack: ReadBack): MeasuredRow[] {
  const rows: MeasuredRow[] = [{ measure: 'detection', seconds: 0, targets: [], met: 'none' }];
  for (const measure of MEASURE_ORDER) {
    const raw = readBack.measured.find((m) => m.measure === measure)?.seconds ?? null;
    const seconds = raw === null ? null : Number(raw);
    const targets = readBack.targets.filter((t) => t.measure === measure);
    if (PHASE_MEASURES.includes(measure) && seconds === null && targets.length === 0) {
      continue;
    }
    rows.push({ measure, seconds, targets, met: worstMet(targets.map((t) => metState(t.met))) });
  }
  return rows;
}

export type Evidence = {
  scenario: Scenario;
  target: Target;
  /** The target as measured; undefined while its scenario has not run. */
  result: MeasuredTarget | undefined;
  /** Whether the scenario runs now, so a missing time may still come. */
  running: boolean;
  /** `pending` while the scenario has not run or has not reached the measure yet. */
  met: MetState;
};

/** The targets of the set-up that evidence an objective, each with its measured result. */
export function objectiveEvidence(view: ExerciseView, objective: string): Evidence[] {
  return view.exercise.setup.scenarios.flatMap((scenario) => {
    const readBack = readBackOf(view, scenario.key);
    return scenario.targets
      .filter((target) => target.objective === objective)
      .map((target) => {
        const result = readBack?.targets.find((t) => t.target === target.key);
        return {
          scenario,
          target,
          result,
          running: readBack !== undefined && readBack.endedAt === null,
          met: result === undefined ? 'pending' : metState(result.met),
        };
      });
  });
}

/** What a keyboard shortcut of the console asks for, if it is one. */
export type ConsoleKey = { kind: LogKind } | { inject: number };

/**
 * Alt+S / Alt+D / Alt+N switch the log's kind, Alt+1..Alt+9 declare inject N. By the physical
 * key first, so layouts where Alt changes the character still work.
 */
export function consoleKey(
  press: Pick<KeyboardEvent, 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'key' | 'code'>,
): ConsoleKey | undefined {
  if (!press.altKey || press.ctrlKey || press.metaKey || press.shiftKey) {
    return undefined;
  }
  const digit = /^(?:Digit|Numpad)([1-9])$/.exec(press.code)?.[1] ?? /^[1-9]$/.exec(press.key)?.[0];
  if (digit !== undefined) {
    return { inject: Number(digit) };
  }
  const letter = /^Key([SDN])$/.exec(press.code)?.[1]?.toLowerCase() ?? press.key.toLowerCase();
  switch (letter) {
    case 's':
      return { kind: 'said' };
    case 'd':
      return { kind: 'did' };
    case 'n':
      return { kind: 'note' };
    default:
      return undefined;
  }
}

export const LOG_KINDS: readonly { kind: LogKind; label: string; key: string }[] = [
  { kind: 'said', label: 'Said', key: 'S' },
  { kind: 'did', label: 'Did', key: 'D' },
  { kind: 'note', label: 'Note', key: 'N' },
];

export function kindLabel(kind: LogKind): string {
  return LOG_KINDS.find((k) => k.kind === kind)?.label ?? kind;
}

// ---- findings ---------------------------------------------------------------------------

/** Today in the person's own time zone, `YYYY-MM-DD`. */
export { localDate } from '../../kit/dates';

/** `YYYY-MM-DD` plus `days` days. */
export function addDays(date: string, days: number): string {
  const at = new Date(`${date}T12:00:00Z`);
  if (Number.isNaN(at.getTime())) {
    return date;
  }
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

/** An open item whose due day has passed. */
export function isOverdue(finding: Finding, today: string): boolean {
  return finding.doneAt === null && finding.due < today;
}

/** The plan's sections a finding can point into, in the order of the plan. */
export const FINDING_SECTIONS: readonly Section[] = [
  'issues',
  'procedures',
  'escalation',
  'coreTeam',
  'extendedTeam',
  'communications',
  'decisions',
  'categories',
];

export type ElementOption = { value: string; label: string };

/** The elements of one section a finding can concern; a procedure's steps as `procedure/step`. */
export function elementOptions(plan: Plan, section: Section | ''): ElementOption[] {
  const categoryName = (id: string) => plan.categories.find((c) => c.id === id)?.name ?? id;
  switch (section) {
    case 'issues':
      return plan.issues.map((i) => ({ value: i.id, label: i.title }));
    case 'procedures':
      return plan.procedures.flatMap((p) => [
        { value: p.id, label: p.title },
        ...p.steps.map((s, i) => ({
          value: `${p.id}/${s.id}`,
          label: `${p.title} › step ${i + 1}: ${s.action}`,
        })),
      ]);
    case 'escalation':
      return plan.escalation.map((r) => ({ value: r.category, label: categoryName(r.category) }));
    case 'coreTeam':
      return plan.coreTeam.map((m) => ({ value: m.id, label: `${m.name} (${m.role})` }));
    case 'extendedTeam':
      return plan.extendedTeam.map((c) => ({ value: c.id, label: `${c.name} (${c.role})` }));
    case 'communications':
      return plan.communications.map((c) => ({
        value: c.id,
        label: `${audienceLabel(c.audience)} on ${c.channel}`,
      }));
    case 'decisions':
      return plan.decisions.map((d) => ({ value: d.id, label: d.title }));
    case 'categories':
      return plan.categories.map((c) => ({ value: c.id, label: c.name }));
    default:
      return [];
  }
}

/** How a finding's element reads in its row: its name, or its key marked as gone. */
export function elementLabel(plan: Plan, section: Section, key: string): string {
  return (
    elementOptions(plan, section).find((o) => o.value === key)?.label ??
    `${key} (no longer in the plan)`
  );
}

/** The finding form's working copy: every field a string, as the inputs hold them. */
export type FindingForm = {
  issue: string;
  correctiveAction: string;
  owner: string;
  due: string;
  section: Section | '';
  element: string;
  scenario: string;
};

export function emptyFindingForm(today: string): FindingForm {
  return {
    issue: '',
    correctiveAction: '',
    owner: '',
    due: addDays(today, 30),
    section: '',
    element: '',
    scenario: '',
  };
}

export function findingForm(finding: Finding): FindingForm {
  return {
    issue: finding.issue,
    correctiveAction: finding.correctiveAction,
    owner: finding.owner,
    due: finding.due,
    section: finding.element?.section ?? '',
    element: finding.element?.key ?? '',
    scenario: finding.scenario ?? '',
  };
}

export type FindingProblem = { field: keyof FindingForm; message: string };

/**
 * What the form cannot send at all, so core cannot check it: a due day that is not a date, a
 * plan section chosen with no element in it. Every rule of a sound finding is core's.
 */
export function unsendableFinding(form: FindingForm): FindingProblem[] {
  const problems: FindingProblem[] = [];
  if (!isDate(form.due)) {
    problems.push({
      field: 'due',
      message:
        form.due.trim() === ''
          ? 'Give the day it is due, as YYYY-MM-DD.'
          : `“${form.due.trim()}” is not a date: write it as YYYY-MM-DD, e.g. 2027-01-15.`,
    });
  }
  if (form.section !== '' && form.element === '') {
    problems.push({
      field: 'element',
      message: 'Choose the element it concerns, or set the section back to “None”.',
    });
  }
  return problems;
}

/** The finding's fields core locates its problems on (section `finding`). */
export const FINDING_FIELDS = [
  'issue',
  'correctiveAction',
  'owner',
  'due',
  'element',
  'scenario',
] as const;

export function findingDraft(form: FindingForm): FindingDraft {
  return {
    scenario: form.scenario === '' ? null : form.scenario,
    issue: form.issue.trim(),
    element:
      form.section === '' || form.element === ''
        ? null
        : { section: form.section, key: form.element },
    correctiveAction: form.correctiveAction.trim(),
    owner: form.owner,
    due: form.due.trim(),
  };
}

/** Open items first (soonest due first), then done ones (most recent first). */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => {
    const aOpen = a.doneAt === null;
    const bOpen = b.doneAt === null;
    if (aOpen !== bOpen) {
      return aOpen ? -1 : 1;
    }
    if (aOpen) {
      return a.due.localeCompare(b.due) || a.id.localeCompare(b.id, 'en', { numeric: true });
    }
    return (b.doneAt ?? '').localeCompare(a.doneAt ?? '');
  });
}

/** A stored file's name from a chosen path, for an attachment's default label. */
export function fileName(path: string): string {
  return (
    path
      .split(/[\\/]/)
      .filter((part) => part !== '')
      .at(-1) ?? path
  );
}

/** Only `http(s)://` links are attached (the backend checks again). */
export function isWebLink(url: string): boolean {
  return /^https?:\/\/\S+$/i.test(url.trim());
}
