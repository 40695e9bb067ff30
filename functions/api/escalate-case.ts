import { actionHandler } from './action-handler';
import { ReasonBodySchema } from './action-bodies';

export const handler = actionHandler(ReasonBodySchema, (body, by) => ({ action: 'escalate', by, reason: body.reason }));
