// Whether the declare dialog is open, and for which issue. Opened from the incident list, from
// an issue's page (prefilled with that issue) and by Ctrl+Shift+N from anywhere.
class DeclareRequest {
  open = $state(false);
  /** The potential issue to start from, if any. */
  issue: string | undefined = $state();
}

export const declaring = new DeclareRequest();

export function openDeclare(issue?: string): void {
  declaring.issue = issue;
  declaring.open = true;
}

export function closeDeclare(): void {
  declaring.open = false;
  declaring.issue = undefined;
}
