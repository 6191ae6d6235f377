// The current route, kept in step with the location hash so back and forward work.
import { pageHref, parseHash, type PageKey, type Route } from './routes';

class Router {
  route: Route = $state({ page: 'overview' });
}

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
  const sync = () => show(parseHash(win.location.hash));
  sync();
  win.addEventListener('hashchange', sync);
  return () => win.removeEventListener('hashchange', sync);
}

/**
 * Opens a hash route (`#/…`) at once: the route changes now, not when the browser gets round to
 * `hashchange`, so a caller can wait for the page to render (e.g. before printing it).
 */
export function navigate(href: string, win: Window = window): void {
  show(parseHash(href));
  win.location.hash = href;
}

export function goTo(key: PageKey, win: Window = window): void {
  win.location.hash = pageHref(key);
}
