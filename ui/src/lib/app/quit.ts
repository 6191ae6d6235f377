// Quitting stops Muster's reminders and pop-ups: with a real incident open, the window asks
// first (Ctrl+Q, the tray's Quit). Closing the window only hides it, and they keep coming.
import type { IncidentSummary } from '../api';
import { isOpen } from '../incident';

/** The question to ask before quitting, or undefined when there is nothing to lose. */
export function quitQuestion(
  summaries: readonly IncidentSummary[] | undefined,
): { title: string; message: string } | undefined {
  const open = (summaries ?? []).filter((s) => !s.exercise && isOpen(s.phase));
  if (open.length === 0) {
    return undefined;
  }
  const named = open
    .slice(0, 3)
    .map((s) => `${s.id} ${s.title}`)
    .join(', ');
  const more = open.length > 3 ? ` and ${open.length - 3} more` : '';
  const are = open.length === 1 ? 'is' : 'are';
  return {
    title: 'Quit Muster while an incident is open?',
    message:
      `${named}${more} ${are} open. Once Muster quits, ${open.length === 1 ? 'its' : 'their'} ` +
      'reminders and pop-ups stop until Muster runs again. Closing the window instead keeps ' +
      'them coming.',
  };
}
