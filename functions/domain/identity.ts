import { z } from 'zod';
import { ROLES, type Role } from './roles';

export { ROLES, type Role };

/** The claims every handler relies on; the JWT authorizer has already checked the signature. */
export const CallerSchema = z.object({
  sub: z.string().min(1).max(128),
  unit: z.string().min(1).max(64),
  role: z.enum(ROLES),
});
export type Caller = z.infer<typeof CallerSchema>;

/** Roles that see every case, whatever unit they belong to. */
const CITY_WIDE_READERS: ReadonlySet<Role> = new Set(['supervisor', 'auditor', 'operator']);

export const seesAllCases = (caller: Caller): boolean => CITY_WIDE_READERS.has(caller.role);

/** The units that have held or hold a case: they may read it and see the complainant. */
export interface CaseParties {
  readonly originUnit: string;
  readonly assignedUnit: string;
  readonly involvedUnits: readonly string[];
}

export const isPartyTo = (caller: Caller, parties: CaseParties): boolean =>
  caller.unit === parties.originUnit ||
  caller.unit === parties.assignedUnit ||
  parties.involvedUnits.includes(caller.unit);

export const canReadCase = (caller: Caller, parties: CaseParties): boolean =>
  seesAllCases(caller) || isPartyTo(caller, parties);

/** Personal data: units involved and the supervisor only (not auditors or operators). */
export const canSeePersonalData = (caller: Caller, parties: CaseParties): boolean =>
  caller.role === 'supervisor' || isPartyTo(caller, parties);
