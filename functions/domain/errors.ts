import { plainEnglish, type Message } from './texts/render';
import type { ErrorCode, FieldCode } from './texts/catalogue';
import type { Params } from './texts/format';

/**
 * Rule violations the domain reports; the HTTP edge maps each kind to a status code and
 * renders the message in the caller's language. `Error.message` is the English text with
 * raw ids, for logs.
 */
export class DomainError extends Error {
  constructor(
    readonly kind: 'invalid' | 'forbidden' | 'not-found' | 'conflict',
    readonly text: Message,
    /** For `invalid`: the field at fault, as a dotted path. */
    readonly path?: string,
  ) {
    super(plainEnglish(text));
    this.name = 'DomainError';
  }
}

export const errorText = (code: ErrorCode, params?: Params): Message => ({ code: `error.${code}`, ...(params ? { params } : {}) });
export const fieldText = (code: FieldCode, params?: Params): Message => ({ code: `field.${code}`, ...(params ? { params } : {}) });

export const invalidInput = (path: string, code: FieldCode, params?: Params) => new DomainError('invalid', fieldText(code, params), path);
export const notAllowed = (code: ErrorCode, params?: Params) => new DomainError('forbidden', errorText(code, params));
export const unknownCase = (id: string) => new DomainError('not-found', errorText('case-not-found', { caseId: id }));
export const stepConflict = (code: ErrorCode, params?: Params) => new DomainError('conflict', errorText(code, params));
