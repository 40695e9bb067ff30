import { actionHandler } from './action-handler';
import { SignOffBodySchema } from './action-bodies';

export const handler = actionHandler(SignOffBodySchema, (body, by) => ({ action: 'sign-off', by, handler: body.handler, ...(body.note ? { note: body.note } : {}) }));
