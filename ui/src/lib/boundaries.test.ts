// Who may import whom in the UI, read from the source files themselves.
//
// The folders under src/lib are of four kinds:
// - `api`: the one door to the backend (only it touches `@tauri-apps/api`). Anyone may import
//   it; it imports no other folder.
// - `kit`: widgets and helpers that know no domain (dialogs, times, the resource cache). It
//   imports only `api` and itself, so every domain can use it.
// - `app`: the frame (shell, sidebar, shortcuts) that puts the domains on screen. No folder
//   under lib imports it; only the files beside lib (App.svelte, main.ts) do.
// - every other folder is a domain (plan, incident, decisions, exercise, …). A domain's public
//   surface is its `index.ts`: from outside, it is imported only as `../plan`, never
//   `../plan/lookup` or `../plan/IssuePage.svelte`. Its pages, if it has any, are its second
//   door, `pages.ts`, imported only dynamically (`import('../plan/pages')`) so that each is a
//   chunk loaded on its first visit and the launch carries none of them. Everything else in the
//   folder (subfolders included) is its internals, free to change. One exception: a test, or a
//   test's fixture, may import another domain's `fixture.ts` or `testing.ts` (test data, never
//   shipped), or its `pages.ts` statically.
//
// The domains import each other without a cycle, so each can be read from the bottom up.
import { describe, expect, it } from 'vitest';

type Sources = Record<string, string>;

// Every source file, by its path from the project root ('/src/lib/plan/lookup.ts'), but this
// one, whose examples break the rules on purpose.
const SOURCES: Sources = Object.fromEntries(
  Object.entries(
    import.meta.glob<string>('/src/**/*.{ts,svelte}', {
      query: '?raw',
      import: 'default',
      eager: true,
    }),
  ).filter(([path]) => path !== '/src/lib/boundaries.test.ts'),
);

const NOT_DOMAINS = new Set(['api', 'kit', 'app']);

type Import = { from: string; spec: string; target: string; dynamic: boolean };

/** The relative imports of one file, each with the path it names ('/src/lib/plan/lookup'). */
function importsOf(file: string, text: string): Import[] {
  const found: Import[] = [];
  const pattern = /(?:\bfrom\s*|\bimport\s*(\()?\s*)'([^']+)'/g;
  for (const match of text.matchAll(pattern)) {
    const spec = match[2] ?? '';
    const target = spec.startsWith('.') ? resolve(file, spec) : spec;
    found.push({ from: file, spec, target, dynamic: match[1] !== undefined });
  }
  return found;
}

function resolve(file: string, spec: string): string {
  const parts = file.split('/').slice(0, -1);
  for (const part of spec.split('/')) {
    if (part === '..') {
      parts.pop();
    } else if (part !== '.') {
      parts.push(part);
    }
  }
  return parts.join('/');
}

/** The folder under src/lib a path is in ('plan'), or undefined outside lib. */
function folderOf(path: string): string | undefined {
  const match = /^\/src\/lib\/([^/]+)\//.exec(path);
  return match?.[1];
}

function isDomain(folder: string | undefined): folder is string {
  return folder !== undefined && !NOT_DOMAINS.has(folder);
}

function isTestSide(file: string): boolean {
  return /\.test\.ts$|[/.](fixture|testing)\.ts$/.test(file);
}

/** Each import that breaks a rule above, as "file → spec: why". */
export function violations(sources: Sources): string[] {
  const out: string[] = [];
  for (const [file, text] of Object.entries(sources)) {
    const mine = folderOf(file);
    for (const { spec, target, dynamic } of importsOf(file, text)) {
      const say = (why: string) => out.push(`${file} → ${spec}: ${why}`);
      if (spec.startsWith('@tauri-apps/api')) {
        if (mine !== 'api' && !isTestSide(file)) {
          say('only lib/api talks to the backend');
        }
        continue;
      }
      if (!spec.startsWith('.')) {
        continue;
      }
      const theirs = folderOf(`${target}/`);
      if (theirs === undefined || theirs === mine) {
        continue;
      }
      if (mine === 'api') {
        say('lib/api imports no other folder');
      } else if (mine === 'kit' && theirs !== 'api') {
        say('lib/kit imports only lib/api');
      } else if (theirs === 'app' && mine !== undefined) {
        say('the app frame is imported by no folder under lib');
      } else if (isDomain(theirs)) {
        const surface = target === `/src/lib/${theirs}` || target === `/src/lib/${theirs}/index`;
        const testData = isTestSide(file) && /\/(fixture|testing)$/.test(target);
        const pages = target === `/src/lib/${theirs}/pages`;
        if (pages && !dynamic && !isTestSide(file)) {
          say(`a domain's pages load on first visit: import('${spec}'), never statically`);
        } else if (!surface && !testData && !pages) {
          say(`another domain's internals: import '${theirs}' through its index.ts`);
        }
      }
    }
  }
  return out.sort();
}

/** A cycle among the domains' (non-test) imports of each other, as "a → b → a", if any. */
export function domainCycle(sources: Sources): string | undefined {
  const edges = new Map<string, Set<string>>();
  for (const [file, text] of Object.entries(sources)) {
    const mine = folderOf(file);
    if (!isDomain(mine) || isTestSide(file)) {
      continue;
    }
    for (const { spec, target } of importsOf(file, text)) {
      const theirs = spec.startsWith('.') ? folderOf(`${target}/`) : undefined;
      if (isDomain(theirs) && theirs !== mine) {
        edges.set(mine, (edges.get(mine) ?? new Set()).add(theirs));
      }
    }
  }
  const done = new Set<string>();
  const walk = (node: string, path: string[]): string | undefined => {
    if (path.includes(node)) {
      return [...path.slice(path.indexOf(node)), node].join(' → ');
    }
    if (done.has(node)) {
      return undefined;
    }
    for (const next of [...(edges.get(node) ?? [])].sort()) {
      const found = walk(next, [...path, node]);
      if (found !== undefined) {
        return found;
      }
    }
    done.add(node);
    return undefined;
  };
  for (const node of [...edges.keys()].sort()) {
    const found = walk(node, []);
    if (found !== undefined) {
      return found;
    }
  }
  return undefined;
}

describe('the rules', () => {
  const check = (sources: Sources, expected: string[]) =>
    expect(violations(sources)).toEqual(expected);

  it('catch each kind of import they forbid', () => {
    check(
      {
        '/src/lib/plan/Page.svelte': `
          import Shell from '../app/Shell.svelte';
          import { phaseLabel } from '../incident/labels';
          import { incidents } from '../incident';
          import Modal from '../kit/Modal.svelte';
          import { invoke } from '@tauri-apps/api/core';`,
        '/src/lib/kit/Widget.svelte': `
          import { displayName } from '../plan';
          import { toApiError } from '../api';`,
        '/src/lib/api/index.ts': `import { when } from '../kit/time';`,
        '/src/lib/decisions/Card.test.ts': `
          import { fixturePlan } from '../plan/fixture';
          import { act } from '../plan/edit/testing';
          import Form from '../plan/edit/Form.svelte';`,
        '/src/lib/decisions/store.svelte.ts': `import { fixturePlan } from '../plan/fixture';`,
        '/src/App.svelte': `
          import Shell from './lib/app/Shell.svelte';
          import { PlanStore } from './lib/plan/store.svelte';
          const later = () => import('./lib/exercise/pages');`,
        '/src/lib/incident/Console.svelte': `
          import { IssuePage } from '../plan/pages';
          const later = () => import('../history/pages');
          const wrong = () => import('../history/HistoryPage.svelte');`,
        '/src/lib/incident/Console.test.ts': `import { IssuePage } from '../plan/pages';`,
      },
      [
        "/src/App.svelte → ./lib/plan/store.svelte: another domain's internals: import 'plan' through its index.ts",
        '/src/lib/api/index.ts → ../kit/time: lib/api imports no other folder',
        "/src/lib/decisions/Card.test.ts → ../plan/edit/Form.svelte: another domain's internals: import 'plan' through its index.ts",
        "/src/lib/decisions/store.svelte.ts → ../plan/fixture: another domain's internals: import 'plan' through its index.ts",
        "/src/lib/incident/Console.svelte → ../history/HistoryPage.svelte: another domain's internals: import 'history' through its index.ts",
        "/src/lib/incident/Console.svelte → ../plan/pages: a domain's pages load on first visit: import('../plan/pages'), never statically",
        '/src/lib/kit/Widget.svelte → ../plan: lib/kit imports only lib/api',
        '/src/lib/plan/Page.svelte → ../app/Shell.svelte: the app frame is imported by no folder under lib',
        "/src/lib/plan/Page.svelte → ../incident/labels: another domain's internals: import 'incident' through its index.ts",
        '/src/lib/plan/Page.svelte → @tauri-apps/api/core: only lib/api talks to the backend',
      ],
    );
  });

  it('find a cycle among the domains, and none in a tree', () => {
    expect(
      domainCycle({
        '/src/lib/plan/a.ts': `import { b } from '../incident';`,
        '/src/lib/incident/b.ts': `import { c } from '../decisions';`,
        '/src/lib/decisions/c.ts': `import { a } from '../plan';`,
      }),
    ).toBe('decisions → plan → incident → decisions');
    expect(
      domainCycle({
        '/src/lib/plan/a.ts': `import { n } from '../nav';`,
        '/src/lib/incident/b.ts': `import { a } from '../plan';\nimport { n } from '../nav';`,
        '/src/lib/plan/a.test.ts': `import { b } from '../incident';`,
      }),
    ).toBeUndefined();
  });
});

describe('the UI', () => {
  it('has its source files to check', () => {
    expect(Object.keys(SOURCES).length).toBeGreaterThan(100);
    expect(Object.keys(SOURCES)).toContain('/src/lib/plan/lookup.ts');
  });

  it('keeps the folders to their imports', () => {
    expect(violations(SOURCES)).toEqual([]);
  });

  it('has no cycle among its domains', () => {
    expect(domainCycle(SOURCES)).toBeUndefined();
  });
});
