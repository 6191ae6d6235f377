// The current route, kept in step with the location hash so back and forward work.
import { pageHref, parseHash, type PageKey, type Route } from '../nav/routes';

class Router {
  route: Route = $state({ page: 'overview' });
}

export const router = new Router();

/** Follows the location hash until the returned function is called. */
export function startRouter(win: Window = window): () => void {
  const sync = () => {
    router.route = parseHash(win.location.hash);
  };
  sync();
  win.addEventListener('hashchange', sync);
  return () => win.removeEventListener('hashchange', sync);
}

export function goTo(key: PageKey, win: Window = window): void {
  win.location.hash = pageHref(key);
}
