import * as z from 'zod/mini';
import '../domain/zod-locale';
import { STATISTICS_BREAKDOWNS } from '../domain/statistics';

const Month = z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as yyyy-mm'));

/** GET /v1/statistics: a range of Shanghai months (at most 36), the breakdown, and JSON or CSV. */
export const StatisticsQuerySchema = z.strictObject({
  from: Month,
  to: Month,
  by: z.optional(z.enum(STATISTICS_BREAKDOWNS)),
  format: z.optional(z.enum(['json', 'csv'])),
});
