import type { IncomingHttpHeaders } from 'node:http';

/*
 * What a web page in the developer's browser must not do to the local stack. A page on another
 * origin may send "simple" requests (text/plain POSTs) without asking, and by DNS rebinding a
 * foreign name may resolve to 127.0.0.1 and read the answers. So every request must name the stack
 * itself in its Host header, and the local controls (`/_local/*`: the clock, alerts, token minting)
 * take only JSON POSTs and refuse requests from another Origin. Tools (curl, the SDK, tests) send
 * no Origin and are unaffected.
 */
export interface GuardRefusal {
  readonly status: 403 | 415 | 421;
  readonly title: string;
  readonly detail: string;
}

/** The stack's own names: what Host may say, and the origins its console is served from. */
export function ownAuthorities(port: number): { hosts: Set<string>; origins: Set<string> } {
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  return { hosts, origins: new Set([...hosts].map((host) => `http://${host}`)) };
}

const single = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

export function guardRequest(request: { method?: string; path: string; headers: IncomingHttpHeaders }, port: number): GuardRefusal | undefined {
  const { hosts, origins } = ownAuthorities(port);
  const host = single(request.headers.host)?.toLowerCase();
  if (!host || !hosts.has(host)) {
    return {
      status: 421,
      title: 'Misdirected Request',
      detail: `This is the local stack at ${[...hosts].join(' or ')}; a request for ${host ?? 'no host'} is not served here.`,
    };
  }
  if (request.path !== '/_local' && !request.path.startsWith('/_local/')) return undefined;
  const origin = single(request.headers.origin);
  if (origin !== undefined && !origins.has(origin.toLowerCase())) {
    return { status: 403, title: 'Forbidden', detail: `The local controls answer only the stack's own pages, not ${origin}.` };
  }
  const method = (request.method ?? 'GET').toUpperCase();
  if (method !== 'GET' && method !== 'HEAD' && !/^application\/json\s*(;|$)/i.test(single(request.headers['content-type']) ?? '')) {
    return { status: 415, title: 'Unsupported Media Type', detail: 'The local controls take a JSON body: content-type: application/json.' };
  }
  return undefined;
}
