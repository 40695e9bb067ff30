import { actionHandler } from './action-handler';
import { EvaluateBodySchema } from './action-bodies';

export const handler = actionHandler(EvaluateBodySchema, (body, by) => ({ action: 'evaluate', by, rating: body.rating, ...(body.comment ? { comment: body.comment } : {}) }));
