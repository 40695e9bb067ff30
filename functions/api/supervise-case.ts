import { actionHandler } from './action-handler';
import { SuperviseBodySchema } from './action-bodies';
import type { Signal } from '../domain/workflow';

/** 督办: the supervision centre urges (a unit or a co-handler's part), reassigns, decides on an extension, or waives a co-handler's reply. */
export const handler = actionHandler(SuperviseBodySchema, (body, by): Signal => {
  switch (body.action) {
    case 'reassign':
      return { action: 'reassign', by, toUnit: body.toUnit as string, note: body.note };
    case 'waive-co-handler':
      return { action: 'waive-co-handler', by, coHandler: body.coHandler as string, note: body.note };
    case 'urge':
      return { action: 'urge', by, note: body.note, ...(body.coHandler ? { coHandler: body.coHandler } : {}) };
    default:
      return { action: body.action, by, note: body.note };
  }
});
