import * as z from 'zod/mini';
import './zod-locale';
import policyJson from '../../config/policy.json';

/**
 * Clock rules that are not per category: warning shares, the evaluation and re-routing
 * windows, each escalation tier's own windows and who escalates to whom (config/policy.json; docs/workflow.md explains why), and
 * how long a closed case keeps its complainant's personal data (SECURITY.md).
 */
const WorkingDays = z.number().check(z.positive(), z.maximum(60));
const TierWindowsSchema = z.strictObject({ signOffWorkingDays: WorkingDays, handlingWorkingDays: WorkingDays });

export const PolicySchema = z.strictObject({
  yellowShare: z.number().check(z.gt(0), z.lt(1)),
  signOffWarningShare: z.number().check(z.gt(0), z.lt(1)),
  handlingWarningShares: z.array(z.number().check(z.gt(0), z.lt(1))).check(z.minLength(1)),
  evaluationWorkingDays: WorkingDays,
  reRouteWorkingDays: WorkingDays,
  tiers: z.strictObject({ '1': TierWindowsSchema, '2': TierWindowsSchema, '3': TierWindowsSchema }),
  /**
   * Escalation by level (逐级): the office a unit of each kind hands a case up to. A city
   * department goes to the city office; a district department, street office or community to
   * its district office; then district office → city office → joint conference (null: the top).
   */
  escalation: z.strictObject({
    community: z.literal('district-office'),
    'street-office': z.literal('district-office'),
    'district-department': z.enum(['district-office', 'city-office']),
    'city-department': z.enum(['city-office', 'joint-conference']),
    'district-office': z.literal('city-office'),
    'city-office': z.literal('joint-conference'),
    'joint-conference': z.null(),
  }),
  /** Calendar days after a case closes until the complainant's name, phone and address are erased from it. */
  personalDataRetentionDays: z.number().check(z.int(), z.minimum(30), z.maximum(3650)),
  /** Calendar days after a case closes during which the complainant, the originating community or the supervisor may reopen it. */
  reopenCalendarDays: z.number().check(z.int(), z.minimum(1), z.maximum(365)),
});
export type Policy = z.infer<typeof PolicySchema>;

export const defaultPolicy: Policy = PolicySchema.parse(policyJson);
