import { describe, expect, it } from 'vitest';

import { fixturePlan } from '../plan/fixture';
import { scenario, setup, summary } from './fixture';
import { dayLabel, daysBetween, dueIn, durationLabel } from './labels';
import {
  buildSetup,
  draftFrom,
  emptyDraft,
  field,
  fieldOf,
  freshScenario,
  located,
  moved,
  nextKey,
  scenarioDraft,
  unsendable,
} from './setup';
import { groupExercises } from './store.svelte';
import { sentence } from '../kit/sentence';

describe('nextKey', () => {
  it('numbers one past the highest key of its kind', () => {
    expect(nextKey('sc', [])).toBe('sc-1');
    expect(nextKey('sc', ['sc-1', 'sc-3', 'other-9', 'sc-x'])).toBe('sc-4');
    expect(nextKey('obj', ['obj-2'])).toBe('obj-3');
  });
});

describe("where core's problems go in the form", () => {
  const at = (section: string, element: string, part: string) => ({
    location: { section, element, field: part },
    message: 'the set-up has a problem here',
  });

  it("puts each located problem beside its field, in core's words as a sentence", () => {
    expect(
      located([
        at('exercise', '', 'title'),
        at('exercise', '', 'moderator'),
        at('exercise', '', 'scenarios'),
        at('objectives', 'obj-1', 'text'),
        at('scenarios', 'sc-2', 'title'),
        at('scenarios', 'sc-2', 'key'),
        at('scenarios', 'sc-2', 'issue'),
        at('scenarios', 'sc-2', 'category'),
        at('injects', 'sc-2/inj-1', 'title'),
        at('targets', 'sc-2/tgt-1', 'label'),
        at('targets', 'sc-2/tgt-1', 'minutes'),
      ]).map((p) => p.field),
    ).toEqual([
      'title',
      'moderator',
      'scenarios',
      field.objective('obj-1'),
      field.scenario('sc-2', 'title'),
      field.scenario('sc-2', 'title'),
      field.scenario('sc-2', 'category'),
      field.scenario('sc-2', 'category'),
      field.inject('sc-2', 'inj-1'),
      field.target('sc-2', 'tgt-1', 'label'),
      field.target('sc-2', 'tgt-1', 'minutes'),
    ]);
    expect(located([at('exercise', '', 'title')])[0]?.message).toBe(
      'The set-up has a problem here',
    );
  });

  it('shows at the top only what has no field of its own', () => {
    expect(fieldOf(at('exercise', '', 'participants'))).toBe('');
    expect(fieldOf(at('expected', 'sc-1/exp-2', 'step'))).toBe('');
    expect(fieldOf(at('somewhere-new', 'x', 'y'))).toBe('');
  });

  it("keeps back only a day that cannot be sent; every other rule is core's", () => {
    const plan = fixturePlan();
    const draft = draftFrom(setup(), plan);
    expect(unsendable(draft)).toEqual([]);
    // Empty and blank set-ups are sent: core says what is missing.
    expect(unsendable(emptyDraft('2026-03-20'))).toEqual([]);
    draft.date = '';
    expect(unsendable(draft)).toEqual([
      { field: 'date', message: 'Give the day the exercise is held, as YYYY-MM-DD.' },
    ]);
    // A day typed another way, or one the calendar lacks, is said with the way to write it.
    for (const typed of ['01/15/2027', '2027-02-30']) {
      draft.date = typed;
      expect(unsendable(draft)).toEqual([
        {
          field: 'date',
          message: `“${typed}” is not a date: write it as YYYY-MM-DD, e.g. 2027-01-15.`,
        },
      ]);
    }
    draft.date = ' 2027-01-15 ';
    expect(unsendable(draft)).toEqual([]);
    expect(sentence('')).toBe('');
  });
});

describe('buildSetup', () => {
  it('gives back a stored set-up unchanged', () => {
    const stored = setup();
    expect(buildSetup(draftFrom(stored, fixturePlan()))).toEqual(stored);
  });

  it('trims, drops blank injects and expected actions, and clears removed objectives', () => {
    const draft = draftFrom(setup(), fixturePlan());
    draft.title = '  Spring  ';
    draft.participants = ['ben', 'gone'];
    const s = draft.scenarios[0]!;
    s.injects.push({ key: 'inj-2', title: ' ', text: '' });
    s.expected.push({ key: 'exp-3', text: '   ', procedure: null, step: null });
    s.targets[0]!.objective = 'obj-9';
    const built = buildSetup(draft);
    expect(built.title).toBe('Spring');
    expect(built.participants).toEqual(['ben', 'gone']);
    expect(built.scenarios[0]?.injects.map((i) => i.key)).toEqual(['inj-1']);
    expect(built.scenarios[0]?.expected.map((e) => e.key)).toEqual(['exp-1', 'exp-2']);
    expect(built.scenarios[0]?.targets[0]?.objective).toBeNull();
  });

  it('sends the category only for a scenario written fresh', () => {
    const draft = emptyDraft('2026-03-20');
    draft.scenarios.push(
      scenarioDraft(scenario({ category: 'hack' })),
      freshScenario('sc-2', 'ops'),
    );
    const built = buildSetup(draft);
    expect(built.scenarios.map((s) => [s.issue, s.category])).toEqual([
      ['drain', null],
      [null, 'ops'],
    ]);
  });

  it('leaves out participants no longer in the plan when editing', () => {
    expect(draftFrom(setup({ participants: ['ben', 'gone'] }), fixturePlan()).participants).toEqual(
      ['ben'],
    );
  });
});

describe('moved', () => {
  it('moves an item up or down, and not past either end', () => {
    expect(moved(['a', 'b', 'c'], 1, -1)).toEqual(['b', 'a', 'c']);
    expect(moved(['a', 'b', 'c'], 1, 1)).toEqual(['a', 'c', 'b']);
    expect(moved(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moved(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
  });
});

describe('labels', () => {
  it('words days, due times and durations', () => {
    expect(dayLabel('2026-03-04')).toBe('4 Mar 2026');
    expect(dayLabel('soon')).toBe('soon');
    expect(dueIn(0)).toBe('today');
    expect(dueIn(1)).toBe('tomorrow');
    expect(dueIn(12)).toBe('in 12 days');
    expect(dueIn(-1)).toBe('overdue by 1 day');
    expect(dueIn(-30)).toBe('overdue by 30 days');
    expect(daysBetween('2026-02-27', '2026-03-02')).toBe(3);
    expect(durationLabel(null)).toBe('—');
    expect(durationLabel(42)).toBe('42 s');
    expect(durationLabel(420n)).toBe('7 min');
    expect(durationLabel(3900)).toBe('1 h 05 min');
  });
});

describe('groupExercises', () => {
  it('puts running first, planned soonest first, held newest first', () => {
    const groups = groupExercises([
      summary({ id: 'EX-1', status: 'ended', date: '2025-06-01' }),
      summary({ id: 'EX-2', status: 'ended', date: '2025-11-01' }),
      summary({ id: 'EX-3', status: 'planned', date: '2026-09-01' }),
      summary({ id: 'EX-4', status: 'planned', date: '2026-04-01' }),
      summary({ id: 'EX-5', status: 'running', date: '2026-03-04' }),
    ]);
    expect(groups.running.map((s) => s.id)).toEqual(['EX-5']);
    expect(groups.planned.map((s) => s.id)).toEqual(['EX-4', 'EX-3']);
    expect(groups.held.map((s) => s.id)).toEqual(['EX-2', 'EX-1']);
  });
});
