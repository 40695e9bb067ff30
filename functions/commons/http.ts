import { randomUUID } from 'node:crypto';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod/mini';
import '../domain/zod-locale';
import { zodLocaleError } from './zod-languages';
import { CallerSchema, type Caller, type Role } from '../domain/identity';
import { roleFitsUnitKind } from '../domain/roles';
import { defaultDirectory } from '../domain/directory';
import { DomainError, errorText } from '../domain/errors';
import { negotiateLanguage, type Lang } from '../domain/texts/language';
import { renderRefusal } from '../domain/texts/render';
import type { TextContext } from '../domain/texts/format';
import {
  ProblemError,
  badRequest,
  fieldMessage,
  forbidden,
  notFound,
  conflict,
  payloadTooLarge,
  unauthorized,
  type FieldError,
} from './problems';
import { logger } from './logger';
import { now } from './clock';

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type ApiResult = APIGatewayProxyStructuredResultV2;

export const MAX_BODY_BYTES = 64 * 1024;

export interface ApiRequest<Body, Query, Params> {
  readonly body: Body;
  readonly query: Query;
  readonly params: Params;
  readonly caller: Caller;
  readonly requestId: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The language texts for this caller are written in (Accept-Language; Chinese by default). */
  readonly lang: Lang;
  /** What rendering a text for this caller needs: the language and unit names. */
  readonly texts: TextContext;
  /** The client's address as the gateway saw it (for per-client budgets of public routes). */
  readonly sourceIp: string;
}

export interface ApiResponse {
  readonly statusCode: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

interface RouteSpec<Body, Query, Params> {
  /** Public routes need no token; all others need valid claims. */
  readonly auth: 'public' | 'required';
  /** When set, only these roles may call; others get 403. */
  readonly roles?: readonly Role[];
  readonly body?: z.core.$ZodType<Body>;
  readonly query?: z.core.$ZodType<Query>;
  readonly params?: z.core.$ZodType<Params>;
}

const ANONYMOUS: Caller = { sub: 'anonymous', unit: 'public', role: 'auditor' };

/** zod issues as the contract's `errors: [{path, message}]`. */
export const fieldErrors = (error: z.core.$ZodError, prefix = ''): FieldError[] =>
  error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    message: issue.message,
  }));

/** Parses one part of the request; zod's own messages come in the caller's language. */
function parsePart<T>(schema: z.core.$ZodType<T> | undefined, value: unknown, prefix: string, lang: Lang): T {
  if (!schema) return undefined as T;
  const result = z.safeParse(schema, value, { error: zodLocaleError(lang) });
  if (!result.success) {
    const errors = fieldErrors(result.error, prefix);
    throw badRequest(
      (ctx) => renderRefusal(errorText('invalid-request', { summary: errors.map((e) => `${e.path || prefix}: ${fieldMessage(e.message, ctx)}`).join('; ') }), ctx),
      errors,
    );
  }
  return result.data;
}

function readJsonBody(event: ApiEvent): unknown {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES) throw payloadTooLarge(MAX_BODY_BYTES);
  const contentType = event.headers?.['content-type'] ?? '';
  if (contentType && !/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType)) {
    throw new ProblemError(415, errorText('unsupported-media-type'));
  }
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest(errorText('malformed-json'), [{ path: '', message: 'malformed JSON' }]);
  }
}

/** Claims as the JWT authorizer passed them (API Gateway and the local API use the same shape). */
function callerOf(event: ApiEvent): Caller {
  const claims = event.requestContext?.authorizer?.jwt?.claims;
  const parsed = CallerSchema.safeParse(claims);
  if (!parsed.success) throw unauthorized(errorText('token-claims'));
  // A valid signature proves who issued the token, not that its claims are sane: a role must fit its unit.
  const unit = defaultDirectory.get(parsed.data.unit);
  if (!unit) throw forbidden(errorText('token-unknown-unit', { unitId: parsed.data.unit }));
  if (!roleFitsUnitKind(parsed.data.role, unit.kind)) {
    throw forbidden(errorText('token-role-unit', { role: parsed.data.role, callerUnit: unit.id, kind: unit.kind }));
  }
  return parsed.data;
}

const languageOf = (event: ApiEvent): Lang => negotiateLanguage(event.headers?.['accept-language']);

/** Texts for a caller: their language, unit names from the directory, times shown against now. */
export const textContext = (lang: Lang): TextContext => ({ lang, unitName: defaultDirectory.nameOf, referenceMs: now() });

/** Domain rule violations and unexpected failures, as problem documents. */
export function toProblem(error: unknown): ProblemError {
  if (error instanceof ProblemError) return error;
  if (error instanceof DomainError) {
    switch (error.kind) {
      case 'invalid':
        return badRequest(
          (ctx) => renderRefusal(errorText('invalid-field', { path: error.path ?? '', message: renderRefusal(error.text, ctx) }), ctx),
          [{ path: error.path ?? '', message: error.text }],
        );
      case 'forbidden':
        return forbidden(error.text);
      case 'not-found':
        return notFound(error.text);
      case 'conflict':
        return conflict(error.text);
    }
  }
  return new ProblemError(500, errorText('internal'));
}

export const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): ApiResult => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: JSON.stringify(body),
});

/**
 * A Lambda handler for one route: request id, size and JSON checks, claims, role check and
 * zod parsing happen here, so the function body only calls the domain. Every failure
 * becomes problem+json; nothing is written before all input is valid.
 */
export function apiHandler<Body = undefined, Query = undefined, Params = undefined>(
  spec: RouteSpec<Body, Query, Params>,
  handle: (request: ApiRequest<Body, Query, Params>) => Promise<ApiResponse>,
) {
  // Per-invocation data, keyed by the event: the local API runs many invocations in one process.
  const invocations = new WeakMap<ApiEvent, { requestId: string; startedAt: number }>();
  const finish = (event: ApiEvent, result: ApiResult): ApiResult => {
    const { requestId, startedAt } = invocations.get(event) ?? { requestId: randomUUID(), startedAt: Date.now() };
    logger.info({ requestId, route: event.routeKey, status: result.statusCode, ms: Date.now() - startedAt });
    // Texts follow Accept-Language, so caches must keep one answer per language.
    const language = { 'content-language': languageOf(event), vary: 'accept-language' };
    return { ...result, headers: { ...language, ...result.headers, 'x-request-id': requestId } };
  };

  return middy<ApiEvent, ApiResult>()
    .before((request) => {
      const { event } = request;
      const requestId = event.headers?.['x-request-id']?.slice(0, 128) || event.requestContext?.requestId || randomUUID();
      invocations.set(event, { requestId, startedAt: Date.now() });
    })
    .onError((request) => {
      const problem = toProblem(request.error);
      if (problem.status >= 500) {
        const requestId = invocations.get(request.event)?.requestId;
        logger.error({ requestId, route: request.event.routeKey, err: request.error }, 'request failed');
      }
      const texts = textContext(languageOf(request.event));
      request.response = finish(
        request.event,
        json(problem.status, problem.render(texts), { ...problem.headers, 'content-type': 'application/problem+json; charset=utf-8' }),
      );
    })
    .handler(async (event) => {
      const lang = languageOf(event);
      const caller = spec.auth === 'public' ? ANONYMOUS : callerOf(event);
      if (spec.roles && !spec.roles.includes(caller.role)) {
        throw forbidden(errorText('role-may-not-call', { role: caller.role, route: event.routeKey }));
      }
      const params = parsePart(spec.params, event.pathParameters ?? {}, '', lang);
      const query = parsePart(spec.query, event.queryStringParameters ?? {}, '', lang);
      const rawBody = readJsonBody(event);
      const body = spec.body ? parsePart(spec.body, rawBody ?? null, '', lang) : (undefined as Body);
      const requestId = invocations.get(event)?.requestId ?? randomUUID();
      const texts = textContext(lang);
      const sourceIp = event.requestContext?.http?.sourceIp ?? 'unknown';
      const response = await handle({ body, query, params, caller, requestId, headers: event.headers ?? {}, lang, texts, sourceIp });
      return finish(
        event,
        response.body === undefined
          ? { statusCode: response.statusCode, headers: response.headers ?? {} }
          : json(response.statusCode, response.body, response.headers),
      );
    });
}
