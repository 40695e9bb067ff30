/**
 * The report as the API returns it, as a zod schema: the OpenAPI document is generated from
 * it, and tests check real answers against it.
 */
import * as z from 'zod';
import { COUNT_FIELDS } from '../domain/assessment';
import { MONTH_PATTERN } from '../domain/assessment-period';

export const MonthSchema = z.string().regex(MONTH_PATTERN, 'a month as yyyy-mm');

const Rate = z.number().min(0).max(100).nullable();
const RatesSchema = z.object({
  signOffOnTime: Rate,
  resolution: Rate,
  resolvedInCommunity: Rate,
  onTimeResolution: Rate,
  satisfaction: Rate,
});
const countShape = Object.fromEntries(COUNT_FIELDS.map((field) => [field, z.number().int().nonnegative()])) as Record<
  (typeof COUNT_FIELDS)[number],
  z.ZodNumber
>;
const ScoresSchema = z.object({ ...countShape, rates: RatesSchema });
const HandlingTimeSchema = z.object({
  resolved: z.number().int(),
  windowWorkingDays: z.number().nullable(),
  medianWorkingDays: z.number().nullable(),
  p90WorkingDays: z.number().nullable(),
  withinWindow: z.number().int().nullable(),
});
const CompositeSchema = z.object({
  score: z.number(),
  response: z.number(),
  resolution: z.number(),
  satisfaction: z.number(),
  deduction: z.number(),
});

export const AssessmentReportSchema = z
  .object({
    format: z.literal('assessment-report/1'),
    period: z.object({ from: MonthSchema, to: MonthSchema, months: z.array(MonthSchema) }),
    cutoff: z.string().describe('facts stamped before this instant count (ISO 8601, +08:00)'),
    provisional: z.boolean().describe('the period has not ended: the figures will still move'),
    source: z.enum(['stored', 'computed']).describe('stored: as the monthly job published it; computed: from the cases now'),
    generatedAt: z.string(),
    runId: z.string().optional(),
    cases: z.number().int(),
    city: ScoresSchema.extend({ handlingTime: HandlingTimeSchema }),
    districts: z.array(ScoresSchema.extend({ district: z.string(), name: z.string() })),
    tiers: z.array(ScoresSchema.extend({ tier: z.number().int(), name: z.string() })),
    categories: z.array(ScoresSchema.extend({ category: z.string(), name: z.string(), handlingTime: HandlingTimeSchema })),
    units: z.array(
      ScoresSchema.extend({
        unit: z.string(),
        name: z.string(),
        kind: z.string(),
        district: z.string().nullable(),
        rank: z.number().int().optional(),
        rankInKind: z.number().int().optional(),
        composite: CompositeSchema.optional(),
      }),
    ),
  })
  .meta({ id: 'AssessmentReport' });

export const ReportFormatSchema = z.enum(['json', 'csv']).optional().describe('csv for a text/csv table, one row per scope');

export const ReportMonthParamsSchema = z.strictObject({ month: MonthSchema });
export const ReportFormatQuerySchema = z.strictObject({ format: ReportFormatSchema });
export const ReportPeriodQuerySchema = z.strictObject({
  from: MonthSchema.describe('first month of the period'),
  to: MonthSchema.describe('last month of the period (at most the current month)'),
  format: ReportFormatSchema,
});
