import { actionHandler } from './action-handler';
import { ReasonBodySchema } from './action-bodies';

export const handler = actionHandler(ReasonBodySchema, (body, by) => ({ action: 'return', by, reason: body.reason }));
