import { coHandlerActionHandler } from './action-handler';
import { ReasonBodySchema } from './action-bodies';

/** A co-handling unit gives its part back to the holder: not its remit. */
export const handler = coHandlerActionHandler(ReasonBodySchema, (body, by) => ({ action: 'co-handler-return', by, reason: body.reason }));
