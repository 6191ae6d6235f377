// A refused or invalid command, split for a dialog: problems about one of its fields go beside
// that field, everything else at the top.
import { toApiError } from '../api';

export type Refusal = { fields: Record<string, string>; general: string[] };

export function refusal(reason: unknown, fields: readonly string[]): Refusal {
  const error = toApiError(reason);
  const out: Refusal = { fields: {}, general: [] };
  for (const problem of error.problems) {
    const field = problem.location.field;
    if (fields.includes(field)) {
      out.fields[field] =
        out.fields[field] === undefined
          ? problem.message
          : `${out.fields[field]} · ${problem.message}`;
    } else {
      out.general.push(problem.message);
    }
  }
  if (error.problems.length === 0) {
    out.general.push(error.message);
  }
  return out;
}
