import { actionHandler } from './action-handler';
import { ExtensionBodySchema } from './action-bodies';

export const handler = actionHandler(ExtensionBodySchema, (body, by) => ({ action: 'request-extension', by, workingDays: body.workingDays, reason: body.reason }));
