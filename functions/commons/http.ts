import { randomUUID } from 'node:crypto';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod/mini';
import '../domain/zod-locale';
import { CallerSchema, type Caller, type Role } from '../domain/identity';
import { roleFitsUnitKind } from '../domain/roles';
import { defaultDirectory } from '../domain/directory';
import { DomainError } from '../domain/errors';
import {
  ProblemError,
  badRequest,
  forbidden,
  notFound,
  conflict,
  payloadTooLarge,
  unauthorized,
  type FieldError,
} from './problems';
import { logger } from './logger';

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

function parsePart<T>(schema: z.core.$ZodType<T> | undefined, value: unknown, prefix: string): T {
  if (!schema) return undefined as T;
  const result = z.safeParse(schema, value);
  if (!result.success) {
    const errors = fieldErrors(result.error, prefix);
    throw badRequest(`The request is invalid: ${errors.map((e) => `${e.path || prefix}: ${e.message}`).join('; ')}`, errors);
  }
  return result.data;
}

function readJsonBody(event: ApiEvent): unknown {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES) throw payloadTooLarge(MAX_BODY_BYTES);
  const contentType = event.headers?.['content-type'] ?? '';
  if (contentType && !/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType)) {
    throw new ProblemError(415, 'Unsupported Media Type', 'Send the body as application/json.');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('The body is not valid JSON.', [{ path: '', message: 'malformed JSON' }]);
  }
}

/** Claims as the JWT authorizer passed them (API Gateway and the local API use the same shape). */
function callerOf(event: ApiEvent): Caller {
  const claims = event.requestContext?.authorizer?.jwt?.claims;
  const parsed = CallerSchema.safeParse(claims);
  if (!parsed.success) throw unauthorized('The token lacks valid sub, unit and role claims.');
  // A valid signature proves who issued the token, not that its claims are sane: a role must fit its unit.
  const unit = defaultDirectory.get(parsed.data.unit);
  if (!unit) throw forbidden(`The token names unit ${parsed.data.unit}, which is not in the unit directory.`);
  if (!roleFitsUnitKind(parsed.data.role, unit.kind)) {
    throw forbidden(`The role ${parsed.data.role} does not fit unit ${unit.id} (a ${unit.kind}).`);
  }
  return parsed.data;
}

/** Domain rule violations and unexpected failures, as problem documents. */
export function toProblem(error: unknown): ProblemError {
  if (error instanceof ProblemError) return error;
  if (error instanceof DomainError) {
    switch (error.kind) {
      case 'invalid':
        return badRequest(`Invalid field ${error.path}: ${error.message}`, [{ path: error.path ?? '', message: error.message }]);
      case 'forbidden':
        return forbidden(error.message);
      case 'not-found':
        return notFound(error.message);
      case 'conflict':
        return conflict(error.message);
    }
  }
  return new ProblemError(500, 'Internal Server Error', 'The request could not be completed; it has been logged.');
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
    return { ...result, headers: { ...result.headers, 'x-request-id': requestId } };
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
      request.response = finish(
        request.event,
        json(problem.status, problem.toJSON(), { 'content-type': 'application/problem+json; charset=utf-8' }),
      );
    })
    .handler(async (event) => {
      const caller = spec.auth === 'public' ? ANONYMOUS : callerOf(event);
      if (spec.roles && !spec.roles.includes(caller.role)) {
        throw forbidden(`The role ${caller.role} may not call ${event.routeKey}.`);
      }
      const params = parsePart(spec.params, event.pathParameters ?? {}, '');
      const query = parsePart(spec.query, event.queryStringParameters ?? {}, '');
      const rawBody = readJsonBody(event);
      const body = spec.body ? parsePart(spec.body, rawBody ?? null, '') : (undefined as Body);
      const requestId = invocations.get(event)?.requestId ?? randomUUID();
      const response = await handle({ body, query, params, caller, requestId, headers: event.headers ?? {} });
      return finish(
        event,
        response.body === undefined
          ? { statusCode: response.statusCode, headers: response.headers ?? {} }
          : json(response.statusCode, response.body, response.headers),
      );
    });
}
