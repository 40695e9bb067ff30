import * as z from 'zod/mini';
import '../domain/zod-locale';
import { CATEGORY_IDS } from '../domain/categories';
import { InstantSchema, UnitIdSchema } from '../domain/case';

/** GET /v1/cases/summary's query: narrow the counts to a district, a category, a unit, or any of them together. */
export const CaseSummaryQuerySchema = z.strictObject({
  district: z.optional(UnitIdSchema),
  category: z.optional(z.enum(CATEGORY_IDS)),
  unit: z.optional(UnitIdSchema),
});

const Count = z.number().check(z.int(), z.nonnegative());

export const CaseSummarySchema = z
  .object({
    open: Count,
    byLight: z.object({ green: Count, yellow: Count, red: Count }),
    byTier: z.object({ '0': Count, '1': Count, '2': Count, '3': Count }),
    byDistrict: z.record(z.string(), Count),
    byCategory: z.record(z.string(), Count),
    asOf: InstantSchema,
  })
  .register(z.globalRegistry, { id: 'CaseSummary' });
