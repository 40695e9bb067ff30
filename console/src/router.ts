import type { TargetedMouseEvent } from 'preact';
import { createStore } from './store';

/** The console's pages, as paths under its base (/console/): history routing, no hash. */
export type Route =
  | { readonly page: 'board' }
  | { readonly page: 'case'; readonly id: string }
  | { readonly page: 'report'; readonly month?: string }
  | { readonly page: 'not-found' };

const BASE = import.meta.env.BASE_URL; // '/console/'

export function parseRoute(pathname: string): Route {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname === BASE.slice(0, -1) ? '' : null;
  if (rest === null) return { page: 'board' }; // served at another path (e.g. a CloudFront error page): start at the board
  const parts = rest.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { page: 'board' };
  if (parts[0] === 'cases' && parts.length === 2) return { page: 'case', id: parts[1] };
  if (parts[0] === 'reports' && parts.length <= 2) return parts[1] ? { page: 'report', month: parts[1] } : { page: 'report' };
  return { page: 'not-found' };
}

export const hrefOf = (route: Route): string => {
  switch (route.page) {
    case 'case':
      return `${BASE}cases/${encodeURIComponent(route.id)}`;
    case 'report':
      return `${BASE}reports${route.month ? `/${route.month}` : ''}`;
    default:
      return BASE;
  }
};

export const routeStore = createStore<Route>(parseRoute(location.pathname));

export function navigate(href: string, replace = false): void {
  if (replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  routeStore.set(parseRoute(new URL(href, location.href).pathname));
  if (!replace) window.scrollTo(0, 0);
}

window.addEventListener('popstate', () => routeStore.set(parseRoute(location.pathname)));

/** A link that moves inside the console without reloading it (modified clicks open tabs as usual). */
export function onLinkClick(event: TargetedMouseEvent<HTMLAnchorElement>): void {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(event.currentTarget.getAttribute('href') ?? BASE);
}
