import type * as z from 'zod/mini';
import { apiHandler } from '../commons/http';
import { deliverAction } from '../commons/actions';
import type { Signal } from '../domain/workflow';
import type { Caller } from '../domain/identity';
import type { CaseRecord } from '../domain/case';
import { CaseIdParamsSchema, CoHandlerParamsSchema, idempotencyKeyOf } from './request-schemas';
import { forbidden, notFound } from '../commons/problems';
import { errorText } from '../domain/errors';

/**
 * A POST /v1/cases/{id}/<action> route: validate the body, then deliver it to the workflow. With an
 * Idempotency-Key, a retry of an action the case already applied is answered 202 again, not 409.
 */
export function actionHandler<Body>(
  body: z.core.$ZodType<Body>,
  toSignal: (body: Body, by: Signal['by'], record: CaseRecord) => Signal,
) {
  return apiHandler({ auth: 'required', params: CaseIdParamsSchema, body }, async ({ params, body, caller, headers }) => {
    const requestKey = idempotencyKeyOf(headers);
    return deliverAction(params.id, caller, (record) => toSignal(body, actorOf(caller, requestKey), record));
  });
}

export const actorOf = (caller: Caller, requestKey?: string): Signal['by'] => ({
  unit: caller.unit,
  role: caller.role,
  sub: caller.sub,
  ...(requestKey ? { requestKey } : {}),
});

/**
 * A POST /v1/cases/{id}/co-handlers/{unit}/<action> route: a co-handling unit acts on its own
 * part only, so the unit in the path must be the caller's.
 */
export function coHandlerActionHandler<Body>(body: z.core.$ZodType<Body>, toSignal: (body: Body, by: Signal['by']) => Signal) {
  return apiHandler({ auth: 'required', params: CoHandlerParamsSchema, body }, async ({ params, body, caller, headers }) => {
    const requestKey = idempotencyKeyOf(headers);
    // Checked once the case is found (an unknown case is 404 for everyone).
    return deliverAction(params.id, caller, (record) => {
      // The part named in the path must exist (404), and be the caller's own (403).
      if (!record.coHandlers?.some((part) => part.unit === params.unit)) throw notFound(errorText('co-handler-part-not-found', { unit: params.unit }));
      if (params.unit !== caller.unit) throw forbidden(errorText('co-handler-unit-mismatch', { callerUnit: caller.unit }));
      return toSignal(body, actorOf(caller, requestKey));
    });
  });
}
