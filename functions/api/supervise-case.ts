import { actionHandler } from './action-handler';
import { SuperviseBodySchema } from './action-bodies';

/** 督办: the supervision centre urges, reassigns, or decides on an extension request. */
export const handler = actionHandler(SuperviseBodySchema, (body, by) =>
  body.action === 'reassign'
    ? { action: 'reassign', by, toUnit: body.toUnit as string, note: body.note }
    : { action: body.action, by, note: body.note },
);
