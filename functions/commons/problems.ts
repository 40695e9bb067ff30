/**
 * Errors the API answers with, as RFC 9457 problem documents. Domain and store code throw
 * these (or plain errors, which become a 500 without detail); the HTTP edge maps them.
 */
export interface FieldError {
  /** Dotted path of the offending field, e.g. `complainant.phone`; `''` for the whole body. */
  readonly path: string;
  readonly message: string;
}

export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly errors?: readonly FieldError[],
  ) {
    super(detail);
    this.name = 'ProblemError';
  }

  get type(): string {
    return `https://linked-resolution.example.org/problems/${this.title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  }

  toJSON(): Record<string, unknown> {
    return {
      type: this.type,
      title: this.title,
      status: this.status,
      detail: this.message,
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}

export const badRequest = (detail: string, errors?: readonly FieldError[]) =>
  new ProblemError(400, 'Bad Request', detail, errors);
export const invalidField = (path: string, message: string) =>
  badRequest(`Invalid field ${path || 'body'}: ${message}`, [{ path, message }]);
export const unauthorized = (detail = 'A valid bearer token is required.') => new ProblemError(401, 'Unauthorized', detail);
export const forbidden = (detail: string) => new ProblemError(403, 'Forbidden', detail);
export const notFound = (detail: string) => new ProblemError(404, 'Not Found', detail);
export const conflict = (detail: string) => new ProblemError(409, 'Conflict', detail);
export const payloadTooLarge = (limit: number) =>
  new ProblemError(413, 'Payload Too Large', `The request body exceeds ${limit} bytes.`);
export const serviceUnavailable = (detail: string) => new ProblemError(503, 'Service Unavailable', detail);
