/**
 * The report as the API returns it, as a zod schema: the OpenAPI document is generated from
 * it, and tests check real answers against it.
 */
import * as z from 'zod/mini';
import '../domain/zod-locale';
import { COUNT_FIELDS } from '../domain/assessment';
import { MONTH_PATTERN } from '../domain/assessment-period';

export const MonthSchema = z.string().check(z.regex(MONTH_PATTERN, 'a month as yyyy-mm'));

/** The schema with a description for the OpenAPI document, registered as classic zod's `.describe()` would. */
function described<T extends z.ZodMiniType>(schema: T, description: string): T {
  z.globalRegistry.add(schema, { description });
  return schema;
}

const Rate = z.nullable(z.number().check(z.minimum(0), z.maximum(100)));
const RatesSchema = z.object({
  signOffOnTime: Rate,
  resolution: Rate,
  resolvedInCommunity: Rate,
  onTimeResolution: Rate,
  satisfaction: Rate,
});
const countShape = Object.fromEntries(COUNT_FIELDS.map((field) => [field, z.number().check(z.int(), z.nonnegative())])) as Record<
  (typeof COUNT_FIELDS)[number],
  z.ZodMiniNumber<number>
>;
const ScoresSchema = z.object({ ...countShape, rates: RatesSchema });
const HandlingTimeSchema = z.object({
  resolved: z.number().check(z.int()),
  windowWorkingDays: z.nullable(z.number()),
  medianWorkingDays: z.nullable(z.number()),
  p90WorkingDays: z.nullable(z.number()),
  withinWindow: z.nullable(z.number().check(z.int())),
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
    cutoff: described(z.string(), 'facts stamped before this instant count (ISO 8601, +08:00)'),
    provisional: described(z.boolean(), 'the period has not ended: the figures will still move'),
    source: described(z.enum(['stored', 'computed']), 'stored: as the monthly job published it; computed: from the cases now'),
    generatedAt: z.string(),
    runId: z.optional(z.string()),
    cases: z.number().check(z.int()),
    city: z.extend(ScoresSchema, { handlingTime: HandlingTimeSchema }),
    districts: z.array(z.extend(ScoresSchema, { district: z.string(), name: z.string() })),
    tiers: z.array(z.extend(ScoresSchema, { tier: z.number().check(z.int()), name: z.string() })),
    categories: z.array(z.extend(ScoresSchema, { category: z.string(), name: z.string(), handlingTime: HandlingTimeSchema })),
    units: z.array(
      z.extend(ScoresSchema, {
        unit: z.string(),
        name: z.string(),
        kind: z.string(),
        district: z.nullable(z.string()),
        rank: z.optional(z.number().check(z.int())),
        rankInKind: z.optional(z.number().check(z.int())),
        composite: z.optional(CompositeSchema),
      }),
    ),
  })
  .register(z.globalRegistry, { id: 'AssessmentReport' });

export const ReportFormatSchema = described(z.optional(z.enum(['json', 'csv'])), 'csv for a text/csv table, one row per scope');

export const ReportMonthParamsSchema = z.strictObject({ month: MonthSchema });
export const ReportFormatQuerySchema = z.strictObject({ format: ReportFormatSchema });
export const ReportPeriodQuerySchema = z.strictObject({
  // Copies: MonthSchema itself is used undescribed elsewhere.
  from: described(MonthSchema.clone(), 'first month of the period'),
  to: described(MonthSchema.clone(), 'last month of the period (at most the current month)'),
  format: ReportFormatSchema,
});
