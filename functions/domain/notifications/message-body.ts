import * as z from 'zod/mini';
import '../zod-locale';
import { UnitIdSchema } from '../case';

/** A message on a case: its text, and the parties it is for (all the other parties when none are named). */
export const MessageBodySchema = z
  .strictObject({
    text: z.string().check(z.trim(), z.minLength(1), z.maxLength(2000)),
    toUnits: z.optional(z.array(UnitIdSchema).check(z.minLength(1), z.maxLength(20))),
  })
  .register(z.globalRegistry, { id: 'MessageBody' });
