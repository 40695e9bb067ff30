/**
 * Who a mediation agreement is reported to, as data: the seed's traffic-accident rules say an
 * agreement is reported to the traffic police (and is what the insurer pays on); every agreement
 * also goes to the unit that referred the case, which holds it. The MEDIATION_AGREEMENT event
 * lists these units in `data.units`, and the notification rule for it (rule-table.ts) tells them.
 */
import type { UnitDirectory } from '../directory';

/** Units told of an agreement by the case's category, besides the holder. */
export const AGREEMENT_REPORTED_TO: Readonly<Record<string, readonly string[]>> = {
  'road-traffic-accident': ['city-dept-traffic-police'],
  'medical-dispute': ['city-dept-health'],
};

export function agreementRecipients(record: { category: string; assignedUnit: string; originUnit: string }, body: string, directory: Pick<UnitDirectory, 'get'>): string[] {
  const units = [record.assignedUnit, ...(AGREEMENT_REPORTED_TO[record.category] ?? [])];
  return [...new Set(units)].filter((unit) => unit !== body && directory.get(unit) !== undefined);
}
