import { describe, expect, it } from 'vitest';

import { fixturePlan } from './fixture';
import {
  categoryGroups,
  moveTable,
  moveTargets,
  additionalText,
  appliesTo,
  contactName,
  decisionTitle,
  displayName,
  issueView,
  issuesByCategory,
  procedureView,
  sectionCounts,
} from './lookup';

const plan = fixturePlan();

describe('contacts', () => {
  it('finds names in both teams', () => {
    expect(contactName(plan, 'ben')).toBe('Ben Sample');
    expect(contactName(plan, 'metro')).toBe('Metro Police');
    expect(contactName(plan, 'nobody')).toBeUndefined();
  });

  it('keeps a broken reference visible', () => {
    expect(displayName(plan, 'eli')).toBe('Eli Forum');
    expect(displayName(plan, 'nobody')).toBe('nobody (not on a team)');
  });
});

describe('issueView', () => {
  const view = issueView(plan, 'drain');

  it('finds the issue, its category and escalation', () => {
    expect(view?.issue.title).toBe('Drained pool');
    expect(view?.category?.name).toBe('Hacker attack');
    expect(view?.escalation).toEqual({
      category: 'hack',
      core: 'uponDetection',
      extended: 'uponValidation',
      pageAfterMinutes: 5,
    });
  });

  it('lists the procedures that answer it, in plan order', () => {
    expect(view?.procedures.map((p) => p.id)).toEqual(['contain', 'patch']);
    expect(view?.procedures[0]?.steps.map((s) => s.id)).toEqual([
      'war-room',
      'pause',
      'police',
      'pause-again',
    ]);
  });

  it('lists the core members who own its category, in plan order', () => {
    expect(view?.owners.map((m) => m.name)).toEqual(['Ada Example', 'Chloe Demo']);
  });

  it('lists each decision once, in first-referenced order, with names', () => {
    expect(
      view?.decisions.map((d) => [d.policy.title, d.required, d.additional, additionalText(d)]),
    ).toEqual([
      [
        'Pause contract',
        ['Ada Example', 'Ben Sample'],
        ['Chloe Demo'],
        'optional co-signers: Chloe Demo',
      ],
      [
        'Notify law enforcement',
        ['Ada Example', 'Metro Police'],
        ['nobody-here (not on a team)'],
        'plus 1 of: nobody-here (not on a team)',
      ],
      [
        'Upgrade contract',
        ['Ada Example'],
        ['Ben Sample', 'Chloe Demo'],
        'plus 1 of: Ben Sample, Chloe Demo',
      ],
    ]);
  });

  it('copes with a category nobody owns and no escalation rule', () => {
    const phish = issueView(plan, 'phish');
    expect(phish?.owners).toEqual([]);
    expect(phish?.escalation).toBeUndefined();
    expect(phish?.procedures).toEqual([]);
    expect(phish?.decisions).toEqual([]);
  });

  it('is undefined for an unknown issue', () => {
    expect(issueView(plan, 'nope')).toBeUndefined();
  });
});

describe('procedureView', () => {
  it('resolves the issues it answers and the decisions it needs', () => {
    const view = procedureView(plan, 'patch');
    expect(view?.issues.map((i) => i.id)).toEqual(['drain', 'gas']);
    expect(view?.decisions.map((d) => d.policy.id)).toEqual(['upgrade', 'pause']);
    expect(procedureView(plan, 'nope')).toBeUndefined();
  });
});

describe('sections', () => {
  it('groups issues by category, orphans last', () => {
    expect(issuesByCategory(plan).map((g) => [g.category?.id, g.issues.map((i) => i.id)])).toEqual([
      ['hack', ['drain']],
      ['net', ['gas']],
      ['ops', ['phish']],
      [undefined, ['stray']],
    ]);
  });

  it('counts entries per section', () => {
    expect(sectionCounts(plan)).toEqual({
      issues: 4,
      procedures: 3,
      escalation: 2,
      'core-team': 3,
      'extended-team': 2,
      communications: 3,
      decisions: 3,
    });
  });

  it('says which emergencies a communication rule applies to', () => {
    expect(plan.communications.map((r) => appliesTo(plan, r))).toEqual([
      'All emergencies',
      'Hacker attack, Network problem',
      'Hacker attack',
    ]);
  });

  it('titles decisions, keeping unknown ids visible', () => {
    expect(decisionTitle(plan, 'pause')).toBe('Pause contract');
    expect(decisionTitle(plan, 'ghost')).toBe('ghost (unknown decision)');
  });
});

describe('editing helpers', () => {
  it('lists every category, with or without issues, orphans last', () => {
    const plan = fixturePlan();
    plan.categories.push({ id: 'empty', name: 'Empty', description: '' });
    const groups = categoryGroups(plan).map((g) => [g.category?.id, g.issues.map((i) => i.id)]);
    expect(groups).toEqual([
      ['hack', ['drain']],
      ['net', ['gas']],
      ['ops', ['phish']],
      ['empty', []],
      [undefined, ['stray']],
    ]);
  });

  it('moves past the neighbour within a group', () => {
    const all = [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }];
    const group = [{ id: 'a' }, { id: 'c' }, { id: 'd' }];
    expect(moveTargets(all, group, 'a')).toEqual({ up: undefined, down: 2 });
    expect(moveTargets(all, group, 'c')).toEqual({ up: 0, down: 3 });
    expect(moveTargets(all, group, 'd')).toEqual({ up: 2, down: undefined });
    expect(moveTargets(all, all, 'b')).toEqual({ up: 0, down: 2 });
    expect(moveTargets(all, group, 'x')).toEqual({ up: undefined, down: undefined });
    // The table of a whole group says the same for each row.
    const table = moveTable(all, group);
    for (const { id } of group) {
      expect(table.get(id)).toEqual(moveTargets(all, group, id));
    }
  });
});
