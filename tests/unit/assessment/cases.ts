import type { AssessedCase } from '../../../functions/domain/assessment';
import { emptyMetrics, type CaseMetrics } from '../../../functions/domain/case';

/** A Shanghai local time as the ISO instant the store keeps: `at('2026-03-09T09:00')`. */
export const at = (local: string): string => `${local.length === 16 ? `${local}:00.000` : local}+08:00`;
export const ms = (local: string): number => Date.parse(at(local));

export const COMMUNITY = 'community-xiling-shengli-silu';
export const STREET = 'street-xiling-xiling';

type Overrides = Partial<Omit<AssessedCase, 'metrics'>> & { metrics?: Partial<CaseMetrics> };

let counter = 0;

/**
 * A case routed to the Xiling street office on Monday 9 March 2026 at 09:00, still in
 * progress, unless the overrides say otherwise. Hand-built, for unit tests of single rules.
 */
export function kase(overrides: Overrides = {}): AssessedCase {
  counter += 1;
  const createdAt = overrides.createdAt ?? at('2026-03-09T09:00');
  const { metrics, ...rest } = overrides;
  return {
    id: `C${String(counter).padStart(5, '0')}`,
    createdAt,
    category: 'routine',
    originUnit: COMMUNITY,
    district: 'xiling',
    assignedUnit: STREET,
    firstHandlerUnit: STREET,
    tier: 0,
    status: 'in-progress',
    light: 'green',
    windowStartedAt: createdAt,
    signOffDueAt: at('2026-03-10T09:00'),
    signedOffAt: at('2026-03-09T10:00'),
    resolveDueAt: at('2026-03-20T10:00'),
    ...rest,
    metrics: { ...emptyMetrics(), ...metrics },
  };
}

/** A case the community kept and resolved itself, and the citizen was satisfied. */
export function keptAndSatisfied(overrides: Overrides = {}): AssessedCase {
  return kase({
    assignedUnit: COMMUNITY,
    firstHandlerUnit: COMMUNITY,
    signOffDueAt: undefined,
    signedOffAt: at('2026-03-09T09:00'),
    status: 'closed',
    closedAt: at('2026-03-09T15:00'),
    closedReason: 'satisfied',
    evaluation: { rating: 'satisfied', at: at('2026-03-09T15:00') },
    windowStartedAt: at('2026-03-09T12:00'),
    ...overrides,
    metrics: { firstResolvedAt: at('2026-03-09T12:00'), resolvedOnTime: true, resolvedInCommunity: true, ...overrides.metrics },
  });
}
