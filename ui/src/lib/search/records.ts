// What Ctrl+K finds besides the plan: incidents, decisions and exercises, by id, title or
// statement, from the lists the app already keeps (no round trip: they are short). Every word
// typed must appear; an id typed whole comes first.
import type { DecisionStatus, ExerciseSummary, IncidentSummary } from '../api';
import { decisionLogHref, exerciseHref, incidentHref } from '../nav';

export type RecordKind = 'incident' | 'decision' | 'exercise';

export type RecordHit = {
  kind: RecordKind;
  id: string;
  title: string;
  /** e.g. "Incident · S1 · mitigated", "Decision · Pause contract · INC-3". */
  detail: string;
  href: string;
};

export type Records = {
  incidents?: readonly IncidentSummary[] | undefined;
  decisions?: readonly DecisionStatus[] | undefined;
  exercises?: readonly ExerciseSummary[] | undefined;
};

/** The records matching `query`, at most `limit`: exact ids first, then the latest first. */
export function matchRecords(query: string, records: Records, limit = 8): RecordHit[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) {
    return [];
  }
  const all: RecordHit[] = [
    ...(records.incidents ?? []).map((i) => ({
      kind: 'incident' as const,
      id: i.id,
      title: i.title,
      detail: `${i.exercise ? 'Exercise incident' : 'Incident'} · ${i.severity} · ${i.phase}`,
      href: incidentHref(i.id),
    })),
    ...(records.decisions ?? []).map((d) => ({
      kind: 'decision' as const,
      id: d.request.id,
      title: d.request.statement,
      detail: `Decision · ${d.request.policyTitle} · ${d.request.incident} · ${d.quorum.state}`,
      href: decisionLogHref(d.request.id),
    })),
    ...(records.exercises ?? []).map((e) => ({
      kind: 'exercise' as const,
      id: e.id,
      title: e.title,
      detail: `Exercise · ${e.date} · ${e.status}`,
      href: exerciseHref(e.id),
    })),
  ];
  const haystack = (r: RecordHit) => `${r.id} ${r.title} ${r.detail}`.toLowerCase();
  const exact = (r: RecordHit) => r.id.toLowerCase() === query.trim().toLowerCase();
  return all
    .filter((r) => words.every((w) => haystack(r).includes(w)))
    .sort((a, b) => Number(exact(b)) - Number(exact(a)))
    .slice(0, limit);
}
