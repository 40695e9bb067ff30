import type { ApiEvent } from '../commons/http';

/** When this endpoint's behaviour last changed (GeoReport v2's `changeset`). */
export const OPEN311_CHANGESET = '2026-12-06T00:00:00+08:00';

/** The endpoint's base URL as the client reached it (API Gateway passes x-forwarded-proto; the local stack speaks http). */
export function open311BaseUrl(event: ApiEvent): string {
  const host = event.requestContext?.domainName || event.headers?.host || 'localhost';
  const proto = event.headers?.['x-forwarded-proto'] === 'https' ? 'https' : event.headers?.['x-forwarded-proto'] ? 'http' : /^(?:localhost|127\.|\[::1\])/.test(host) ? 'http' : 'https';
  return `${proto}://${host}/open311/v2`;
}
