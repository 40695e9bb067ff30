import { useRef, useState } from 'preact/hooks';
import { ApiProblem, newIdempotencyKey } from './api';

export { compact, fieldErrors, limitsOf, textOrUndefined, type FieldLimits } from './form-rules';

/**
 * One submission, sent once: a second click while it is on its way does nothing, and every
 * attempt of the same submission carries the same Idempotency-Key, so a retry after a lost
 * answer is answered as the first attempt was. A definite answer (done, or refused) ends the
 * submission; the next one gets a new key. A lost answer (no connection, a timeout, a 5xx) keeps it.
 */
export function useSubmission(initialKey?: string) {
  const key = useRef(initialKey ?? newIdempotencyKey());
  const inFlight = useRef(false);
  const [busy, setBusy] = useState(false);
  const send = async <T>(attempt: (key: string) => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown } | undefined> => {
    if (inFlight.current) return undefined;
    inFlight.current = true;
    setBusy(true);
    try {
      const value = await attempt(key.current);
      key.current = newIdempotencyKey();
      return { ok: true, value };
    } catch (error) {
      const lost = !(error instanceof ApiProblem) || error.status === 0 || error.status >= 500;
      if (!lost) key.current = newIdempotencyKey();
      return { ok: false, error };
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };
  return { busy, send, key: () => key.current };
}
