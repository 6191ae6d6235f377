// Alt+0 for the overview and Alt+1..Alt+7 for the sections, unless someone is typing (or on
// the exercise console, where Alt+digit declares an inject); Ctrl+K
// (Cmd+K on a Mac) for the search palette, Ctrl+Shift+N to declare an incident and Ctrl+Q to
// quit, from anywhere.
import { isTyping, type KeyPress } from '../kit/keys';
import { pageForShortcut, type PageKey, type Route } from '../nav';

/** The page a key press asks for, if it is one of the shortcuts. */
export function shortcutPage(press: KeyPress): PageKey | undefined {
  if (!press.altKey || press.ctrlKey || press.metaKey || press.shiftKey) {
    return undefined;
  }
  if (isTyping(press.target)) {
    return undefined;
  }
  // `code` names the physical key, so Alt+1 works on layouts where Alt changes the character.
  const digit = /^(?:Digit|Numpad)(\d)$/.exec(press.code)?.[1] ?? /^\d$/.exec(press.key)?.[0];
  return digit === undefined ? undefined : pageForShortcut(Number(digit));
}

/** Ctrl+K or Cmd+K: open the search palette. Works while typing, like a browser's own Ctrl+L. */
export function opensPalette(press: KeyPress): boolean {
  if (press.ctrlKey === press.metaKey || press.altKey || press.shiftKey) {
    return false;
  }
  return press.code === 'KeyK' || press.key.toLowerCase() === 'k';
}

function withCommand(press: KeyPress, letter: string, shift: boolean): boolean {
  if (press.ctrlKey === press.metaKey || press.altKey || press.shiftKey !== shift) {
    return false;
  }
  return press.code === `Key${letter.toUpperCase()}` || press.key.toLowerCase() === letter;
}

/** Ctrl+Shift+N (Cmd+Shift+N): declare an incident, even while typing. */
export function opensDeclare(press: KeyPress): boolean {
  return withCommand(press, 'n', true);
}

/** Ctrl+Q (Cmd+Q): quit Muster (closing the window only hides it in the tray). */
export function quits(press: KeyPress): boolean {
  return withCommand(press, 'q', false);
}

/**
 * Whether Alt+digit leaves the page alone: the moderator's console uses Alt+1..9 to declare
 * injects, and the participant window has no pages to go to.
 */
export function pageShortcutsOff(route: Route): boolean {
  return (route.page === 'exercise' && route.tab === 'run') || route.page === 'participant';
}
