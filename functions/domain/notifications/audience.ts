/**
 * The message attributes every alert is published with besides `type`, `tier` and `unit`:
 * `district` (the case's district) and `audience` (the units its notifications are for, from the
 * same rules the dispatcher follows). Computed once, where the alert is made (domain/workflow.ts),
 * and carried on the alert, so the state machine's PublishAlert and the outbox sweeper's
 * republish send the same attributes. Each unit's subscriptions filter on `audience` alone.
 */
import type { UnitDirectory } from '../directory';
import { NOTIFICATION_RULES } from './rule-table';

/**
 * The units an alert of `type` about `unit` tells, by the rules: the unit itself, the originating
 * community, the supervision centre, the joint conference. An alert no rule addresses (a late
 * re-routing) is for the supervision centre, whose work it is, so the list is never empty (an
 * SNS String.Array attribute with no element would match no subscription and say nothing).
 */
export function alertAudience(type: string, about: { unit: string; originUnit: string }, directory: Pick<UnitDirectory, 'supervisionCentre' | 'jointConference'>): string[] {
  const units = new Set<string>();
  for (const rule of NOTIFICATION_RULES[type] ?? []) {
    if (rule.audience === 'event-unit') units.add(about.unit);
    else if (rule.audience === 'origin') units.add(about.originUnit);
    else if (rule.audience === 'supervision-centre') units.add(directory.supervisionCentre().id);
    else if (rule.audience === 'joint-conference') units.add(directory.jointConference().id);
  }
  if (units.size === 0) units.add(directory.supervisionCentre().id);
  return [...units];
}

/** SNS message attributes of an alert: what PublishAlert (statemachines/case.asl.json) and the outbox sweeper publish. */
export const ALERT_ATTRIBUTES = ['type', 'tier', 'unit', 'district', 'audience'] as const;
