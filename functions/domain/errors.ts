import type { Message } from './texts/event-render';
import type { ErrorCode, FieldCode } from './texts/refusals';
import type { Params } from './texts/format';

/**
 * Rule violations the domain reports; the HTTP edge maps each kind to a status code and
 * renders the message in the caller's language. `Error.message` is the code and params, for logs
 * (no catalogue is loaded for it: a function that only stores cases does not bundle the texts).
 */
export class DomainError extends Error {
  constructor(
    readonly kind: 'invalid' | 'forbidden' | 'not-found' | 'conflict',
    readonly text: Message,
    /** For `invalid`: the field at fault, as a dotted path. */
    readonly path?: string,
  ) {
    // The code and params, for logs; the edge renders the text in the caller's language.
    super(`${text.code}${text.params ? ` ${JSON.stringify(text.params)}` : ''}`);
    this.name = 'DomainError';
  }
}

export const errorText = (code: ErrorCode, params?: Params): Message => ({ code: `error.${code}`, ...(params ? { params } : {}) });
export const fieldText = (code: FieldCode, params?: Params): Message => ({ code: `field.${code}`, ...(params ? { params } : {}) });

export const invalidInput = (path: string, code: FieldCode, params?: Params) => new DomainError('invalid', fieldText(code, params), path);
export const notAllowed = (code: ErrorCode, params?: Params) => new DomainError('forbidden', errorText(code, params));
export const unknownCase = (id: string) => new DomainError('not-found', errorText('case-not-found', { caseId: id }));
export const stepConflict = (code: ErrorCode, params?: Params) => new DomainError('conflict', errorText(code, params));
