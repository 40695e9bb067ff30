import { randomUUID } from 'node:crypto';
import type { ApiEvent, ApiResult } from '../commons/http';
import { logger } from '../commons/logger';
import { now } from '../commons/clock';
import { defaultDirectory } from '../domain/directory';
import { DomainError } from '../domain/errors';
import { negotiateLanguage, type Lang } from '../domain/texts/language';
import { renderRefusal, type Message } from '../domain/texts/render';
import type { TextContext } from '../domain/texts/format';
import { open311Refusal } from '../domain/texts/open311-texts';
import { open311FieldOf } from './field-names';
import { CONTENT_TYPES, List, serialize, splitResource, type Format, type Open311Document } from './document';

/**
 * The edge of every Open311 route: the format from the resource's extension, errors as the
 * spec's `[{code, description}]` (code = the HTTP status) in that format, texts in the caller's
 * language, and CORS open to any origin (Open311 clients run on other people's sites).
 * A separate edge from the signed-in API's (functions/commons/http.ts): nothing here reads a token.
 */
export class Open311Error extends Error {
  constructor(
    readonly status: number,
    readonly text: Message,
  ) {
    super(`${status} ${text.code}`);
    this.name = 'Open311Error';
  }
}

export const open311Error = (status: number, ...args: Parameters<typeof open311Refusal>) => new Open311Error(status, open311Refusal(...args));

export interface Open311Request {
  readonly event: ApiEvent;
  readonly format: Format;
  /** The resource's name without its extension: `services`, a service code, a request id, a token. */
  readonly name: string;
  readonly lang: Lang;
  readonly texts: TextContext;
  /** Query parameters (a repeated one joined by commas, as API Gateway passes it). */
  readonly query: Readonly<Record<string, string | undefined>>;
  readonly requestId: string;
}

export interface Open311Answer {
  readonly status: number;
  readonly document: Open311Document;
  readonly headers?: Record<string, string>;
}

/** Headers every Open311 answer carries. */
export const OPEN311_CORS = { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'x-request-id' } as const;

const STATUS_OF_KIND: Readonly<Record<DomainError['kind'], number>> = { invalid: 400, forbidden: 403, 'not-found': 404, conflict: 409 };

export const errorsDocument = (status: number, description: string): Open311Document => ({
  root: 'errors',
  value: new List('error', [{ code: status, description }]),
});

/** The last path segment as the client sent it: the resource with its extension. */
function resourceSegment(event: ApiEvent): string {
  const path = event.rawPath ?? event.requestContext?.http?.path ?? '';
  const last = path.slice(path.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

export function open311Handler(handle: (request: Open311Request) => Promise<Open311Answer>) {
  return async (event: ApiEvent): Promise<ApiResult> => {
    const startedAt = Date.now();
    const requestId = event.headers?.['x-request-id']?.slice(0, 128) || event.requestContext?.requestId || randomUUID();
    const lang = negotiateLanguage(event.headers?.['accept-language']);
    const texts: TextContext = { lang, unitName: defaultDirectory.nameOf, referenceMs: now() };
    const resource = splitResource(resourceSegment(event));
    const format: Format = resource?.format ?? 'json';
    let answer: Open311Answer;
    try {
      if (!resource) throw open311Error(404, 'open311-format');
      answer = await handle({ event, format, name: resource.name, lang, texts, query: event.queryStringParameters ?? {}, requestId });
    } catch (error) {
      let status: number;
      let text: Message;
      if (error instanceof Open311Error) {
        status = error.status;
        text = error.text;
      } else if (error instanceof DomainError) {
        status = STATUS_OF_KIND[error.kind];
        text = error.path ? open311Refusal('open311-field', { field: open311FieldOf(error.path), message: renderRefusal(error.text, texts) }) : error.text;
      } else {
        status = 500;
        text = open311Refusal('open311-internal');
        logger.error({ requestId, route: event.routeKey, err: error }, 'request failed');
      }
      answer = { status, document: errorsDocument(status, renderRefusal(text, texts)) };
    }
    logger.info({ requestId, route: event.routeKey, status: answer.status, ms: Date.now() - startedAt });
    return {
      statusCode: answer.status,
      headers: {
        'content-type': CONTENT_TYPES[format],
        'content-language': lang,
        vary: 'accept-language',
        'cache-control': 'no-store',
        ...OPEN311_CORS,
        ...answer.headers,
        'x-request-id': requestId,
      },
      body: serialize(answer.document, format),
    };
  };
}
