import { actionHandler } from './action-handler';
import { ResolveBodySchema } from './action-bodies';

export const handler = actionHandler(ResolveBodySchema, (body, by) => ({
  action: 'resolve',
  by,
  summary: body.summary,
  outcome: body.outcome,
  ...(body.approvedBy ? { approvedBy: body.approvedBy } : {}),
}));
