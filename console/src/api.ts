import { config } from './config';
import { sessionStore, signOut } from './auth';
import { langStore } from './i18n';

/**
 * The HTTP API, as the contract describes it. Every request says the console's language
 * (Accept-Language), so the API's problems and texts come back in it. Errors arrive as
 * RFC 9457 problem documents; ApiProblem keeps their `detail` and field `errors` so pages can
 * show them in plain words.
 */
export interface FieldError {
  readonly path: string;
  readonly message: string;
}

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors: readonly FieldError[] = [],
    /** The API's stable error code (`error.co-handlers-outstanding`), when it sends one. */
    readonly code?: string,
    /** Seconds to wait before asking again (a 429's Retry-After). */
    readonly retryAfter?: number,
  ) {
    super(detail || title);
    this.name = 'ApiProblem';
  }
}

/** How long a request may take before the console gives up on its answer (the request may still have landed). */
const REQUEST_TIMEOUT_MS = 20_000;

/** status 0: the request never got an answer (no connection, or a timeout). */
const networkProblem = (error: unknown) => new ApiProblem(0, 'Network error', error instanceof Error ? error.message : String(error));

async function problemOf(response: Response): Promise<ApiProblem> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { title?: string; detail?: string; message?: string; errors?: FieldError[]; code?: string };
    const retryAfter = Number(response.headers.get('retry-after') ?? '');
    return new ApiProblem(
      response.status,
      body.title ?? response.statusText,
      body.detail ?? body.message ?? '',
      body.errors ?? [],
      body.code,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    );
  } catch {
    return new ApiProblem(response.status, response.statusText, text.slice(0, 300));
  }
}

export interface RequestOptions {
  readonly body?: unknown;
  /** Sent as Idempotency-Key: a retry with the same key is answered as the first attempt was. */
  readonly idempotencyKey?: string;
  /** A public route: sent with no token, whoever is signed in. */
  readonly anonymous?: boolean;
  /** Sent as If-None-Match: the API answers 304 with no body when nothing changed. */
  readonly ifNoneMatch?: string;
  /** A read the console keeps itself (getJsonIfChanged): the browser's cache must not answer for the API. */
  readonly conditional?: boolean;
}

export async function request(method: 'GET' | 'POST' | 'DELETE', path: string, options: RequestOptions = {}): Promise<Response> {
  const session = sessionStore.get();
  const headers: Record<string, string> = { 'accept-language': langStore.get() };
  if (session && !options.anonymous) headers.authorization = `Bearer ${session.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  if (options.ifNoneMatch) headers['if-none-match'] = options.ifNoneMatch;
  let response: Response;
  try {
    response = await fetch(`${config().apiBaseUrl}${path}`, {
      method,
      headers,
      ...(options.conditional ? { cache: 'no-store' as const } : {}),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
  } catch (error) {
    throw networkProblem(error);
  }
  if (response.status === 401 && session && !options.anonymous) {
    signOut('expired');
  }
  if (!response.ok && !(response.status === 304 && options.conditional)) throw await problemOf(response);
  return response;
}

export async function getJson<T>(path: string, options: { anonymous?: boolean } = {}): Promise<T> {
  return (await (await request('GET', path, options)).json()) as T;
}

/** What a conditional read gave: the body (fresh, or the one kept when the API said 304) and whether it changed. */
export interface Conditional<T> {
  readonly data: T;
  readonly changed: boolean;
}

/** The last body and ETag of each conditional read, per signed-in person (a few dozen paths at most). */
const lastRead = new Map<string, { etag: string; data: unknown }>();
const LAST_READ_LIMIT = 40;

/**
 * GET with If-None-Match: when the API answers 304 (nothing changed since the ETag it sent
 * last), the body kept from the last read is returned with `changed: false`, and nothing is
 * downloaded. An API that sends no ETag is simply read in full every time.
 */
export async function getJsonIfChanged<T>(path: string): Promise<Conditional<T>> {
  const key = `${sessionStore.get()?.sub ?? ''} ${langStore.get()} ${path}`;
  const kept = lastRead.get(key);
  const response = await request('GET', path, { conditional: true, ...(kept ? { ifNoneMatch: kept.etag } : {}) });
  if (response.status === 304 && kept) {
    // Most recently used last, so the oldest goes first when the map is full.
    lastRead.delete(key);
    lastRead.set(key, kept);
    return { data: kept.data as T, changed: false };
  }
  const data = (await response.json()) as T;
  const etag = response.headers.get('etag');
  lastRead.delete(key);
  if (etag) {
    lastRead.set(key, { etag, data });
    if (lastRead.size > LAST_READ_LIMIT) lastRead.delete(lastRead.keys().next().value as string);
  }
  return { data, changed: true };
}

export async function postJson<T>(path: string, body: unknown, idempotencyKey?: string): Promise<{ status: number; body: T }> {
  const response = await request('POST', path, { body, ...(idempotencyKey ? { idempotencyKey } : {}) });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

export async function deleteResource(path: string, idempotencyKey?: string): Promise<void> {
  await request('DELETE', path, idempotencyKey ? { idempotencyKey } : {});
}

/** A fresh Idempotency-Key (letters, digits and -, as the API accepts). */
export const newIdempotencyKey = (): string => crypto.randomUUID();
