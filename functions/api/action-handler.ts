import type * as z from 'zod/mini';
import { apiHandler } from '../commons/http';
import { deliverAction } from '../commons/actions';
import type { Signal } from '../domain/workflow';
import type { Caller } from '../domain/identity';
import type { CaseRecord } from '../domain/case';
import { CaseIdParamsSchema } from './request-schemas';

/** A POST /v1/cases/{id}/<action> route: validate the body, then deliver it to the workflow. */
export function actionHandler<Body>(
  body: z.core.$ZodType<Body>,
  toSignal: (body: Body, by: Signal['by'], record: CaseRecord) => Signal,
) {
  return apiHandler({ auth: 'required', params: CaseIdParamsSchema, body }, async ({ params, body, caller }) =>
    deliverAction(params.id, caller, (record) => toSignal(body, actorOf(caller), record)),
  );
}

export const actorOf = (caller: Caller): Signal['by'] => ({ unit: caller.unit, role: caller.role, sub: caller.sub });
