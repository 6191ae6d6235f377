// A procedure's steps as the procedure form edits them: each row keeps a local key (so typing a
// new step's action, which names its id, does not rebuild the row) and the step's fields.
import type { Step, StepCommand } from '../../api';
import { joinLine, splitLine } from './commandLine';
import { uniqueId } from './slug';

/** A step's command as the form edits it: one line, a folder, a time limit, variable names. */
export type RunDraft = { line: string; dir: string; timeout: number | null; env: string };

export type StepDraft = Omit<Step, 'decision' | 'command' | 'automatable'> & {
  decision: string;
  run: RunDraft;
  automatable: boolean;
};

/** The time limit a command gets when the form leaves it empty, in seconds. */
export const DEFAULT_TIMEOUT = 60;

export type StepRow = { key: number; isNew: boolean; step: StepDraft };

export const STEP_FIELDS = [
  'id',
  'action',
  'how',
  'tools',
  'test',
  'expectedMinutes',
  'decision',
  'command',
];

function runDraft(command: StepCommand | undefined): RunDraft {
  return command === undefined
    ? { line: '', dir: '', timeout: null, env: '' }
    : {
        line: joinLine(command.argv),
        dir: command.dir,
        timeout: command.timeoutSeconds,
        env: command.env.join(', '),
      };
}

export function toRow(step: Step, key: number): StepRow {
  const { command, automatable, ...rest } = step;
  return {
    key,
    isNew: false,
    step: {
      ...rest,
      decision: step.decision ?? '',
      run: runDraft(command),
      automatable: automatable ?? false,
    },
  };
}

/** The command a row's fields hold (none when its line is empty), or why it cannot be sent. */
export function toCommand(run: RunDraft): { command: StepCommand | undefined } | { error: string } {
  if (run.line.trim() === '') {
    return { command: undefined };
  }
  const split = splitLine(run.line);
  if ('error' in split) {
    return { error: `The command cannot be read: ${split.error}.` };
  }
  return {
    command: {
      argv: split.argv,
      dir: run.dir.trim(),
      timeoutSeconds: run.timeout ?? DEFAULT_TIMEOUT,
      env: run.env
        .split(/[\s,]+/)
        .map((e) => e.trim())
        .filter((e) => e !== ''),
    },
  };
}

export function blankRow(key: number): StepRow {
  return {
    key,
    isNew: true,
    step: {
      id: '',
      action: '',
      how: '',
      tools: '',
      test: '',
      expectedMinutes: null,
      decision: '',
      run: runDraft(undefined),
      automatable: false,
    },
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
  return rows.map((r, i) => {
    const step: Step = {
      id: ids[i] ?? r.step.id,
      action: r.step.action,
      how: r.step.how,
      tools: r.step.tools,
      test: r.step.test,
      expectedMinutes: r.step.expectedMinutes,
      decision: r.step.decision === '' ? null : r.step.decision,
    };
    const run = toCommand(r.step.run);
    if ('command' in run && run.command !== undefined) {
      step.command = run.command;
    }
    if (r.step.automatable) {
      step.automatable = true;
    }
    return step;
  });
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
