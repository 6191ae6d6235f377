// The backend's validation problems, placed beside the fields they are about. A problem names a
// section ("issues", "core team", …), an element (its id; "procedure/step" for a step) and a
// camelCase field. Whatever matches no field of the open form goes to the form's summary.
import type { Problem } from '../../api';

export type ProblemTarget = {
  /** Section names as the backend writes them, e.g. ["core team", "extended team"]. */
  sections: readonly string[];
  /** The id of the element being edited; empty for the plan details and the exercise policy. */
  element: string;
};

export type FieldProblems = {
  /** Messages by field key: the field name, or `stepKey(step, field)` for a step's field. */
  fields: Record<string, string[]>;
  /** Messages that belong to no field on the form, as full sentences. */
  general: string[];
};

/** The key of a step's field, e.g. `step:pause:action`. */
export function stepKey(stepId: string, field: string): string {
  return `step:${stepId}:${field}`;
}

/** "additionalNeeded" → "Additional needed". */
export function fieldWords(field: string): string {
  const words = field.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function add(into: Record<string, string[]>, key: string, message: string): void {
  (into[key] ??= []).push(message);
}

/**
 * Sorts `problems` into the fields of a form. `known` lists the field keys the form shows;
 * a problem about this element but another field, or about another element, is general.
 */
export function mapProblems(
  problems: readonly Problem[],
  target: ProblemTarget,
  known: Iterable<string>,
): FieldProblems {
  const fields = new Set(known);
  const out: FieldProblems = { fields: {}, general: [] };
  for (const { location, message } of problems) {
    const { section, element, field } = location;
    const here = target.sections.includes(section);
    if (here && element === target.element) {
      if (fields.has(field)) {
        add(out.fields, field, message);
      } else {
        out.general.push(`${fieldWords(field)}: ${message}`);
      }
      continue;
    }
    const prefix = `${target.element}/`;
    if (here && target.element !== '' && element.startsWith(prefix)) {
      const step = element.slice(prefix.length);
      const key = stepKey(step, field);
      if (fields.has(key)) {
        add(out.fields, key, message);
      } else {
        out.general.push(`Step “${step}”, ${fieldWords(field).toLowerCase()}: ${message}`);
      }
      continue;
    }
    const where = element === '' ? section : `${section} “${element}”`;
    out.general.push(`${fieldWords(where)}, ${field}: ${message}`);
  }
  return out;
}
