import { coHandlerActionHandler } from './action-handler';
import { CoHandlerReplyBodySchema } from './action-bodies';

/** A co-handling unit answers on its part; the holder may resolve once every part is answered. */
export const handler = coHandlerActionHandler(CoHandlerReplyBodySchema, (body, by) => ({ action: 'co-handler-reply', by, summary: body.summary }));
