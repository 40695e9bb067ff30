import { actionHandler } from './action-handler';
import { CoHandleBodySchema } from './action-bodies';

/** 协办: the unit holding the case brings in co-handling units, each with the task and its window. */
export const handler = actionHandler(CoHandleBodySchema, (body, by) => ({
  action: 'co-handle',
  by,
  units: body.units,
  task: body.task,
  workingDays: body.workingDays,
  ...(body.sharePersonalData !== undefined ? { sharePersonalData: body.sharePersonalData } : {}),
}));
