/**
 * Errors the API answers with, as RFC 9457 problem documents. Domain and store code throw
 * these (or plain errors, which become a 500 without detail); the HTTP edge maps them and
 * writes `title`, `detail` and field messages in the caller's language.
 */
import { errorText } from '../domain/errors';
import { problemTitle, renderRefusal, schemaMessage, type Message } from '../domain/texts/render';
import type { TextContext } from '../domain/texts/format';

export interface FieldError {
  /** Dotted path of the offending field, e.g. `complainant.phone`; `''` for the whole body. */
  readonly path: string;
  /** A catalogue message, or a schema's own message (English, translated by its text). */
  readonly message: string | Message;
}

export const fieldMessage = (message: string | Message, ctx: TextContext) =>
  typeof message === 'string' ? schemaMessage(message, ctx.lang) : renderRefusal(message, ctx);

/** A detail written from the request's language when it is rendered (it embeds other texts). */
export type LocalText = (ctx: TextContext) => string;
type Detail = Message | string | LocalText;
const detailIn = (detail: Detail, ctx: TextContext): string =>
  typeof detail === 'string' ? detail : typeof detail === 'function' ? detail(ctx) : renderRefusal(detail, ctx);

export class ProblemError extends Error {
  constructor(
    readonly status: number,
    /** What went wrong, as a catalogue message (or a string for the few texts that are not for people). */
    readonly detail: Detail,
    readonly errors?: readonly FieldError[],
    /** Headers the answer carries with it (Retry-After on a 429). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detailIn(detail, { lang: 'en' }));
    this.name = 'ProblemError';
  }

  get title(): string {
    return problemTitle(this.status, 'en');
  }

  get type(): string {
    return `https://linked-resolution.example.org/problems/${this.title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  }

  /** The problem document in `ctx.lang`. */
  render(ctx: TextContext): Record<string, unknown> {
    return {
      type: this.type,
      title: problemTitle(this.status, ctx.lang),
      status: this.status,
      detail: detailIn(this.detail, ctx),
      ...(typeof this.detail === 'object' ? { code: this.detail.code } : {}),
      ...(this.errors ? { errors: this.errors.map((e) => ({ path: e.path, message: fieldMessage(e.message, ctx) })) } : {}),
    };
  }

  toJSON(): Record<string, unknown> {
    return this.render({ lang: 'en' });
  }
}

export const badRequest = (detail: Detail, errors?: readonly FieldError[]) => new ProblemError(400, detail, errors);
export const invalidField = (path: string, message: string | Message) =>
  badRequest((ctx) => renderRefusal(errorText('invalid-field', { path: path || 'body', message: fieldMessage(message, ctx) }), ctx), [{ path, message }]);
export const unauthorized = (detail: Message = errorText('token-required')) => new ProblemError(401, detail);
export const forbidden = (detail: Message | string) => new ProblemError(403, detail);
export const notFound = (detail: Message | string) => new ProblemError(404, detail);
export const conflict = (detail: Message | string) => new ProblemError(409, detail);
export const payloadTooLarge = (limit: number) => new ProblemError(413, errorText('payload-too-large', { limit }));
export const serviceUnavailable = (detail: Message | string) => new ProblemError(503, detail);
