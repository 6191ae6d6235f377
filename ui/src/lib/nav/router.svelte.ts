// The current route, kept in step with the location hash so back and forward work.
import { pageHref, parseHash, type PageKey, type Route } from './routes';

class Router {
  route: Route = $state({ page: 'overview' });
  /** A move away that waits for the user: text typed on this page is not saved. */
  leaving: { href: string; what: string } | undefined = $state();
}

/** What each page with unsaved text says it holds; asked before the route changes. */
const holders = new Set<() => string | undefined>();

/**
 * While registered, `what` is asked before the app leaves the page: text typed and not saved
 * ("The internal post-mortem") holds the move until the user says to leave. The returned
 * function unregisters (call it when the page goes, e.g. as an effect's teardown).
 */
export function keepUnsaved(what: () => string | undefined): () => void {
  holders.add(what);
  return () => {
    holders.delete(what);
  };
}

function unsaved(): string | undefined {
  for (const what of holders) {
    const found = what();
    if (found !== undefined) {
      return found;
    }
  }
  return undefined;
}

/** The hash of the route shown, to go back to when a move is held. */
let shownHash = '';

export const router = new Router();

function same(a: Route, b: Route): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function show(route: Route): void {
  // A hash change that names the route already shown (see `navigate`) changes nothing.
  if (!same(router.route, route)) {
    router.route = route;
  }
}

/** Follows the location hash until the returned function is called. */
export function startRouter(win: Window = window): () => void {
  const sync = () => {
    const hash = win.location.hash;
    const next = parseHash(hash);
    if (!same(router.route, next)) {
      const what = unsaved();
      if (what !== undefined) {
        // Held: the address goes back to the page shown until the user decides.
        router.leaving = { href: hash, what };
        win.history.replaceState(null, '', shownHash === '' ? '#/' : shownHash);
        return;
      }
    }
    shownHash = hash;
    show(next);
  };
  sync();
  win.addEventListener('hashchange', sync);
  return () => win.removeEventListener('hashchange', sync);
}

/**
 * Opens a hash route (`#/…`) at once: the route changes now, not when the browser gets round to
 * `hashchange`, so a caller can wait for the page to render (e.g. before printing it).
 */
export function navigate(href: string, win: Window = window): void {
  const next = parseHash(href);
  if (!same(router.route, next)) {
    const what = unsaved();
    if (what !== undefined) {
      router.leaving = { href, what };
      return;
    }
  }
  shownHash = href;
  show(next);
  win.location.hash = href;
}

/** Leaves for the held move, dropping the unsaved text. */
export function leaveAnyway(win: Window = window): void {
  const held = router.leaving;
  router.leaving = undefined;
  if (held !== undefined) {
    shownHash = held.href;
    show(parseHash(held.href));
    win.location.hash = held.href;
  }
}

/** Stays on the page: the held move is dropped. */
export function stayHere(): void {
  router.leaving = undefined;
}

export function goTo(key: PageKey, win: Window = window): void {
  win.location.hash = pageHref(key);
}
