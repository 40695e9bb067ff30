/** Rule violations the domain reports; the HTTP edge maps each kind to a status code. */
export class DomainError extends Error {
  constructor(
    readonly kind: 'invalid' | 'forbidden' | 'not-found' | 'conflict',
    message: string,
    /** For `invalid`: the field at fault, as a dotted path. */
    readonly path?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalidInput = (path: string, message: string) => new DomainError('invalid', message, path);
export const notAllowed = (message: string) => new DomainError('forbidden', message);
export const unknownCase = (id: string) => new DomainError('not-found', `No case ${id}.`);
export const stepConflict = (message: string) => new DomainError('conflict', message);
