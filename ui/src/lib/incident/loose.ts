// Loose ends of an incident, said before it is resolved or closed: decisions asked on it that
// are still pending, and post-mortems not yet published. Nothing is refused: the person is told
// what stays open, and the record keeps it.
import type { DecisionStatus, Incident } from '../api';

export type LooseEnds = {
  /** "Pause contract (DEC-…)" for each decision of the incident still pending. */
  pending: string[];
  /** The post-mortems not published yet: "internal", "public". */
  unpublished: string[];
};

export function looseEnds(
  incident: Incident,
  statuses: readonly DecisionStatus[] | undefined,
): LooseEnds {
  const pending = (statuses ?? [])
    .filter((s) => s.request.incident === incident.id && s.quorum.state === 'pending')
    .map((s) => `${s.request.policyTitle} (${s.request.id})`);
  const published = new Set(incident.publications.map((p) => p.audience));
  const unpublished = (['internalPostMortem', 'publicPostMortem'] as const)
    .filter((a) => !published.has(a))
    .map((a) => (a === 'internalPostMortem' ? 'internal' : 'public'));
  return { pending, unpublished };
}

/** One paragraph saying what stays open, or '' when nothing does. */
export function looseEndsText(ends: LooseEnds, closing: boolean): string {
  const parts: string[] = [];
  if (ends.pending.length > 0) {
    const list = ends.pending.join(', ');
    parts.push(
      ends.pending.length === 1
        ? `${list} is still pending: not approved${closing ? '. Closing closes it unapproved, on the record.' : ', and it stays so.'}`
        : `${list} are still pending: not approved${closing ? '. Closing closes them unapproved, on the record.' : ', and they stay so.'}`,
    );
  }
  if (closing && ends.unpublished.length > 0) {
    parts.push(
      `The ${ends.unpublished.join(' and ')} post-mortem${ends.unpublished.length > 1 ? 's are' : ' is'} not published.`,
    );
  }
  return parts.join(' ');
}
