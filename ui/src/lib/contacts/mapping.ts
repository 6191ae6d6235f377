// The column mapping of a contacts CSV as the import dialog edits it: one choice per column
// (a field, or '' to ignore it), built into the `ColumnMapping` the backend reads.
import type { ColumnMapping, CsvPreview, Field } from '../api';

/** A column's choice: the field it fills, or '' when it is ignored. */
export type Choice = Field | '';

export const FIELD_LABELS: Record<Field, string> = {
  name: 'Name',
  givenName: 'Given name',
  familyName: 'Family name',
  role: 'Role',
  organisation: 'Organisation',
  email: 'Email',
  chat: 'Chat',
  phone: 'Phone',
};

export const FIELDS = Object.keys(FIELD_LABELS) as Field[];

export const NAME_PROBLEM = "Choose the column with each person's name";

/** Headers are matched as the backend matches them: without case and surrounding space. */
function sameHeader(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** One choice per header, from the suggested mapping; a header it does not list is ignored. */
export function initialChoices(csv: CsvPreview): Choice[] {
  return csv.headers.map(
    (header) => csv.suggested.columns.find((c) => sameHeader(c.header, header))?.field ?? '',
  );
}

/** The mapping to send: only the columns that are not ignored. */
export function buildMapping(headers: string[], choices: Choice[]): ColumnMapping {
  return {
    columns: headers.flatMap((header, i) => {
      const field = choices[i] ?? '';
      return field === '' ? [] : [{ header, field }];
    }),
  };
}

/** What keeps the choices from being imported, or `undefined` when they can be. */
export function mappingProblem(choices: Choice[]): string | undefined {
  const chosen = choices.filter((c): c is Field => c !== '');
  const twice = FIELDS.filter((f) => chosen.filter((c) => c === f).length > 1);
  if (twice.length > 0) {
    const names = twice.map((f) => FIELD_LABELS[f]).join(', ');
    const verb = twice.length === 1 ? 'is' : 'are';
    return `${names} ${verb} chosen for more than one column: choose each field for one column only`;
  }
  const has = (f: Field) => chosen.includes(f);
  if (!has('name') && !(has('givenName') && has('familyName'))) {
    return NAME_PROBLEM;
  }
  return undefined;
}

export function contacts(n: number): string {
  return `${n} ${n === 1 ? 'contact' : 'contacts'}`;
}
