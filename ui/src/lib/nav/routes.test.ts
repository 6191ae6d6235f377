import { describe, expect, it } from 'vitest';

import type { Section } from '../api';
import {
  SECTIONS,
  TOOLS,
  contactHref,
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
  parseHash,
  participantHref,
  procedureHref,
  sectionLabel,
  type Route,
} from './routes';

describe('parseHash', () => {
  const cases: [string, Route][] = [
    ['', { page: 'overview' }],
    ['#', { page: 'overview' }],
    ['#/', { page: 'overview' }],
    ['#/issues', { page: 'issues' }],
    ['#/issues/', { page: 'issues' }],
    ['#/issues/stolen-user-funds', { page: 'issue', id: 'stolen-user-funds' }],
    ['#/procedures', { page: 'procedures' }],
    ['#/procedures/contain-exploit', { page: 'procedure', id: 'contain-exploit' }],
    ['#/escalation', { page: 'escalation' }],
    ['#/core-team', { page: 'core-team' }],
    ['#/extended-team', { page: 'extended-team' }],
    ['#/communications', { page: 'communications' }],
    ['#/decisions', { page: 'decisions' }],
    ['#/decisions/pause-contract', { page: 'decisions', focus: 'pause-contract' }],
    ['#/nowhere', { page: 'overview' }],
    ['#/escalation/x', { page: 'overview' }],
    ['#/issues/a/b', { page: 'overview' }],
    ['#/issues/%E0%A4%A', { page: 'issue', id: '%E0%A4%A' }],
    ['#/core-team/ada', { page: 'core-team', contact: 'ada' }],
    ['#/extended-team/metro-police', { page: 'extended-team', contact: 'metro-police' }],
    ['#/check', { page: 'check' }],
    ['#/history', { page: 'history' }],
    ['#/history/', { page: 'history' }],
    ['#/settings', { page: 'settings' }],
    ['#/folder', { page: 'folder' }],
    ['#/folder/', { page: 'folder' }],
    ['#/folder/x', { page: 'overview' }],
    ['#/print', { page: 'print' }],
    ['#/check/x', { page: 'overview' }],
    ['#/print/x', { page: 'overview' }],
    ['#/incidents', { page: 'incidents' }],
    ['#/incidents/', { page: 'incidents' }],
    ['#/incidents/INC-3', { page: 'incident', id: 'INC-3' }],
    ['#/incidents/INC-3/x', { page: 'overview' }],
    ['#/decisions-log', { page: 'decisions-log' }],
    ['#/decisions-log/', { page: 'decisions-log' }],
    [
      '#/decisions-log/DEC-1f3a9c0b7d2e4a61',
      { page: 'decisions-log', focus: 'DEC-1f3a9c0b7d2e4a61' },
    ],
    ['#/decisions-log/DEC-1/x', { page: 'overview' }],
    ['#/exercises', { page: 'exercises' }],
    ['#/exercises/', { page: 'exercises' }],
    ['#/exercises/new', { page: 'exercise-new' }],
    ['#/exercises/new/run', { page: 'exercise', id: 'new', tab: 'run' }],
    ['#/exercises/EX-2', { page: 'exercise', id: 'EX-2', tab: 'setup' }],
    ['#/exercises/EX-2/', { page: 'exercise', id: 'EX-2', tab: 'setup' }],
    ['#/exercises/EX-2/setup', { page: 'exercise', id: 'EX-2', tab: 'setup' }],
    ['#/exercises/EX-2/run', { page: 'exercise', id: 'EX-2', tab: 'run' }],
    ['#/exercises/EX-2/readback', { page: 'exercise', id: 'EX-2', tab: 'readback' }],
    ['#/exercises/EX-2/evaluation', { page: 'exercise', id: 'EX-2', tab: 'evaluation' }],
    ['#/exercises/EX-2/report', { page: 'exercise', id: 'EX-2', tab: 'report' }],
    ['#/exercises/EX-2/nowhere', { page: 'overview' }],
    ['#/exercises/EX-2/run/x', { page: 'overview' }],
    ['#/readiness', { page: 'readiness' }],
    ['#/readiness/x', { page: 'overview' }],
    ['#/participant/EX-3', { page: 'participant', id: 'EX-3' }],
    ['#/participant', { page: 'overview' }],
    ['#/participant/EX-3/x', { page: 'overview' }],
  ];
  for (const [hash, expected] of cases) {
    it(`reads ${JSON.stringify(hash)}`, () => {
      expect(parseHash(hash)).toEqual(expected);
    });
  }

  it('reads back every href it builds', () => {
    expect(parseHash(issueHref('dns-hijack'))).toEqual({ page: 'issue', id: 'dns-hijack' });
    expect(parseHash(procedureHref('fail-over-rpc'))).toEqual({
      page: 'procedure',
      id: 'fail-over-rpc',
    });
    expect(parseHash(decisionHref('upgrade-contract'))).toEqual({
      page: 'decisions',
      focus: 'upgrade-contract',
    });
    expect(parseHash(contactHref('core-team', 'ada'))).toEqual({
      page: 'core-team',
      contact: 'ada',
    });
    expect(parseHash(contactHref('extended-team', 'a b'))).toEqual({
      page: 'extended-team',
      contact: 'a b',
    });
    for (const s of SECTIONS) {
      expect(pageOf(parseHash(pageHref(s.key)))).toBe(s.key);
    }
    for (const tool of TOOLS) {
      expect(pageOf(parseHash(pageHref(tool)))).toBe(tool);
    }
    expect(parseHash(pageHref('overview'))).toEqual({ page: 'overview' });
    expect(parseHash(pageHref('incidents'))).toEqual({ page: 'incidents' });
    expect(incidentHref('INC-12')).toBe('#/incidents/INC-12');
    expect(parseHash(incidentHref('INC-12'))).toEqual({ page: 'incident', id: 'INC-12' });
    expect(decisionLogHref('DEC-ab')).toBe('#/decisions-log/DEC-ab');
    expect(parseHash(decisionLogHref('DEC-ab'))).toEqual({
      page: 'decisions-log',
      focus: 'DEC-ab',
    });
  });

  it('reads back the exercise hrefs', () => {
    expect(exercisesHref()).toBe('#/exercises');
    expect(parseHash(exercisesHref())).toEqual({ page: 'exercises' });
    expect(newExerciseHref()).toBe('#/exercises/new');
    expect(parseHash(newExerciseHref())).toEqual({ page: 'exercise-new' });
    expect(exerciseHref('EX-4')).toBe('#/exercises/EX-4');
    for (const tab of ['setup', 'run', 'readback', 'evaluation', 'report'] as const) {
      expect(parseHash(exerciseHref('EX-4', tab))).toEqual({ page: 'exercise', id: 'EX-4', tab });
    }
    expect(exerciseHref('EX 4', 'run')).toBe('#/exercises/EX%204/run');
    expect(parseHash(exerciseHref('EX 4', 'run'))).toEqual({
      page: 'exercise',
      id: 'EX 4',
      tab: 'run',
    });
    expect(participantHref('EX-4')).toBe('#/participant/EX-4');
    expect(parseHash(participantHref('EX-4'))).toEqual({ page: 'participant', id: 'EX-4' });
    expect(parseHash(pageHref('readiness'))).toEqual({ page: 'readiness' });
  });
});

describe('pageOf', () => {
  it('puts detail pages under their section', () => {
    expect(pageOf({ page: 'issue', id: 'x' })).toBe('issues');
    expect(pageOf({ page: 'procedure', id: 'x' })).toBe('procedures');
    expect(pageOf({ page: 'incident', id: 'INC-1' })).toBe('incidents');
    expect(pageOf({ page: 'decisions', focus: 'x' })).toBe('decisions');
    expect(pageOf({ page: 'decisions-log', focus: 'DEC-1' })).toBe('decisions-log');
    expect(pageOf({ page: 'core-team', contact: 'x' })).toBe('core-team');
    expect(pageOf({ page: 'extended-team', contact: 'x' })).toBe('extended-team');
    expect(pageOf({ page: 'exercise', id: 'EX-1', tab: 'run' })).toBe('exercises');
    expect(pageOf({ page: 'exercise-new' })).toBe('exercises');
    expect(pageOf({ page: 'participant', id: 'EX-1' })).toBe('exercises');
    expect(pageOf({ page: 'readiness' })).toBe('readiness');
  });
});

describe('pageForShortcut', () => {
  it('maps 0 to the overview and 1..7 to the numbered sections', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(pageForShortcut)).toEqual([
      'overview',
      'issues',
      'procedures',
      'escalation',
      'core-team',
      'extended-team',
      'communications',
      'decisions',
      undefined,
      undefined,
    ]);
  });
});

describe('elementHref', () => {
  const cases: [Section, string, string][] = [
    ['issues', 'drain', '#/issues/drain'],
    ['issues', '', '#/issues'],
    ['procedures', 'contain', '#/procedures/contain'],
    ['procedures', 'contain/pause', '#/procedures/contain'],
    ['decisions', 'pause', '#/decisions/pause'],
    ['coreTeam', 'ada', '#/core-team/ada'],
    ['extendedTeam', 'metro', '#/extended-team/metro'],
    ['escalation', 'hack', '#/escalation'],
    ['onCall', 'hack', '#/escalation'],
    ['communications', 'users', '#/communications'],
    ['categories', 'ops', '#/issues'],
    ['meta', '', '#/'],
    ['exercisePolicy', '', '#/'],
  ];
  for (const [section, key, href] of cases) {
    it(`opens ${section} ${JSON.stringify(key)} at ${href}`, () => {
      expect(elementHref(section, key)).toBe(href);
    });
  }

  it('escapes ids that are not safe in a hash', () => {
    expect(elementHref('issues', 'a b')).toBe('#/issues/a%20b');
    expect(parseHash(elementHref('issues', 'a b'))).toEqual({ page: 'issue', id: 'a b' });
  });
});

describe('sectionLabel', () => {
  it('names every section of the stored plan', () => {
    const sections: Section[] = [
      'meta',
      'categories',
      'issues',
      'procedures',
      'escalation',
      'coreTeam',
      'extendedTeam',
      'onCall',
      'communications',
      'decisions',
      'exercisePolicy',
    ];
    expect(sections.map(sectionLabel)).toEqual([
      'Plan details',
      'Categories',
      'Potential issues',
      'Response procedures',
      'Escalation',
      'Core response team',
      'Extended response team',
      'On-call rotations',
      'Communications',
      'Decision process',
      'Exercise policy',
    ]);
  });
});
