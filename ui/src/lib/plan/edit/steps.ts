// A procedure's steps as the procedure form edits them: each row keeps a local key (so typing a
// new step's action, which names its id, does not rebuild the row) and the step's fields.
import type { Step } from '../../api';
import { uniqueId } from './slug';

export type StepDraft = Omit<Step, 'decision'> & { decision: string };

export type StepRow = { key: number; isNew: boolean; step: StepDraft };

export const STEP_FIELDS = ['id', 'action', 'how', 'tools', 'test', 'expectedMinutes', 'decision'];

export function toRow(step: Step, key: number): StepRow {
  return { key, isNew: false, step: { ...step, decision: step.decision ?? '' } };
}

export function blankRow(key: number): StepRow {
  return {
    key,
    isNew: true,
    step: { id: '', action: '', how: '', tools: '', test: '', expectedMinutes: null, decision: '' },
  };
}

/** Each row's step id: saved steps keep theirs; new ones are made from their action. */
export function stepIds(rows: readonly StepRow[]): string[] {
  const taken = rows.filter((r) => !r.isNew).map((r) => r.step.id);
  return rows.map((r) => {
    if (!r.isNew) {
      return r.step.id;
    }
    const id = uniqueId(r.step.action, taken, 'step');
    taken.push(id);
    return id;
  });
}

/** The steps to save, in row order, with their ids. */
export function toSteps(rows: readonly StepRow[]): Step[] {
  const ids = stepIds(rows);
  return rows.map((r, i) => ({
    id: ids[i] ?? r.step.id,
    action: r.step.action,
    how: r.step.how,
    tools: r.step.tools,
    test: r.step.test,
    expectedMinutes: r.step.expectedMinutes,
    decision: r.step.decision === '' ? null : r.step.decision,
  }));
}

/** `rows` with the row at `from` moved to `to`. */
export function moved<T>(rows: readonly T[], from: number, to: number): T[] {
  const out = [...rows];
  if (to < 0 || to >= out.length || from < 0 || from >= out.length) {
    return out;
  }
  const [row] = out.splice(from, 1);
  if (row !== undefined) {
    out.splice(to, 0, row);
  }
  return out;
}
