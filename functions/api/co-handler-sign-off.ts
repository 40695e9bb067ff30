import { coHandlerActionHandler } from './action-handler';
import { CoHandlerSignOffBodySchema } from './action-bodies';

/** A co-handling unit acknowledges its part, optionally naming the person responsible. */
export const handler = coHandlerActionHandler(CoHandlerSignOffBodySchema, (body, by) => ({
  action: 'co-handler-sign-off',
  by,
  ...(body.handler ? { handler: body.handler } : {}),
}));
