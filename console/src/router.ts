import type { TargetedMouseEvent } from 'preact';
import { createStore, useStore } from './store';

/**
 * The console's pages, as paths under its base (/console/): history routing, no hash. What a
 * page shows (a queue, a filter, the open action form) is in its query string, so a link or a
 * reload lands on the same view.
 */
export type Route =
  | { readonly page: 'home' }
  | { readonly page: 'new-case' }
  | { readonly page: 'case'; readonly id: string }
  | { readonly page: 'report'; readonly month?: string }
  /** Comprehensive statistics (综合统计): its range and breakdown are in the query string. */
  | { readonly page: 'statistics' }
  /** The citizens' public status page: no sign-in. */
  | { readonly page: 'track'; readonly code?: string }
  | { readonly page: 'not-found' };

const BASE = import.meta.env.BASE_URL; // '/console/'
/** The public page is also served at the site's root, /track and /track/<code> (short enough to print on a receipt). */
const ROOT_TRACK = /^\/track(?:\/|$)/;

export function parseRoute(pathname: string): Route {
  const rest = ROOT_TRACK.test(pathname)
    ? pathname.slice(1)
    : pathname.startsWith(BASE)
      ? pathname.slice(BASE.length)
      : pathname === BASE.slice(0, -1)
        ? ''
        : null;
  if (rest === null) return { page: 'home' }; // served at another path (e.g. a CloudFront error page): start at home
  const parts = rest.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { page: 'home' };
  if (parts[0] === 'cases' && parts[1] === 'new' && parts.length === 2) return { page: 'new-case' };
  if (parts[0] === 'cases' && parts.length === 2) return { page: 'case', id: parts[1] };
  if (parts[0] === 'track' && parts.length <= 2) return parts[1] ? { page: 'track', code: parts[1] } : { page: 'track' };
  if (parts[0] === 'statistics' && parts.length === 1) return { page: 'statistics' };
  if (parts[0] === 'reports' && parts.length <= 2) return parts[1] ? { page: 'report', month: parts[1] } : { page: 'report' };
  return { page: 'not-found' };
}

export const hrefOf = (route: Route, query?: Record<string, string | undefined>): string => {
  let path: string;
  switch (route.page) {
    case 'case':
      path = `${BASE}cases/${encodeURIComponent(route.id)}`;
      break;
    case 'new-case':
      path = `${BASE}cases/new`;
      break;
    case 'report':
      path = `${BASE}reports${route.month ? `/${route.month}` : ''}`;
      break;
    case 'statistics':
      path = `${BASE}statistics`;
      break;
    case 'track':
      // A citizen who came in at /track stays there.
      path = `${ROOT_TRACK.test(location.pathname) ? '/' : BASE}track${route.code ? `/${encodeURIComponent(route.code)}` : ''}`;
      break;
    default:
      path = BASE;
  }
  const search = new URLSearchParams(Object.entries(query ?? {}).filter((entry): entry is [string, string] => Boolean(entry[1]))).toString();
  return search ? `${path}?${search}` : path;
};

export const routeStore = createStore<Route>(parseRoute(location.pathname));
/** The current query string (without '?'): a page's tabs and filters. */
export const searchStore = createStore<string>(location.search.replace(/^\?/, ''));

function follow(): void {
  routeStore.set(parseRoute(location.pathname));
  searchStore.set(location.search.replace(/^\?/, ''));
}

export function navigate(href: string, replace = false): void {
  if (replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  follow();
  if (!replace) window.scrollTo(0, 0);
}

window.addEventListener('popstate', follow);

/** A page's query parameters, and a setter that keeps them in the URL (replacing the entry: no history per click). */
export function useQuery(): [URLSearchParams, (changes: Record<string, string | undefined>) => void] {
  const search = useStore(searchStore);
  const params = new URLSearchParams(search);
  const set = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(location.search);
    for (const [name, value] of Object.entries(changes)) {
      if (value) next.set(name, value);
      else next.delete(name);
    }
    const text = next.toString();
    history.replaceState(null, '', `${location.pathname}${text ? `?${text}` : ''}`);
    searchStore.set(text);
  };
  return [params, set];
}

/** A link that moves inside the console without reloading it (modified clicks open tabs as usual). */
export function onLinkClick(event: TargetedMouseEvent<HTMLAnchorElement>): void {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(event.currentTarget.getAttribute('href') ?? BASE);
}
