import * as z from 'zod/mini';
import './zod-locale';
import { OVERSIGHT_ROLES, ROLES, type Role } from './roles';

export { ROLES, type Role };

/** The claims every handler relies on; the JWT authorizer has already checked the signature. */
export const CallerSchema = z.object({
  sub: z.string().check(z.minLength(1), z.maxLength(128)),
  unit: z.string().check(z.minLength(1), z.maxLength(64)),
  role: z.enum(ROLES),
  /** The person's name where the identity provider gives one (Cognito's `name` claim). */
  name: z.optional(z.string().check(z.maxLength(100))),
});
export type Caller = z.infer<typeof CallerSchema>;

/** Who acted, as the timeline keeps it: unit, role and the person. */
export const timelineActor = (caller: Caller) => ({
  unit: caller.unit,
  role: caller.role,
  sub: caller.sub,
  ...(caller.name ? { name: caller.name } : {}),
});

/** Roles that see every case, whatever unit they belong to. */
const CITY_WIDE_READERS: ReadonlySet<Role> = new Set(['supervisor', 'auditor', 'operator']);

export const seesAllCases = (caller: Caller): boolean => CITY_WIDE_READERS.has(caller.role);

/** The units that have held or hold a case: they may read it and see the complainant. */
export interface CaseParties {
  readonly originUnit: string;
  readonly assignedUnit: string;
  readonly involvedUnits: readonly string[];
  /** Co-handling units read the case too; they see the complainant only when their part needs it. */
  readonly coHandlers?: readonly { readonly unit: string; readonly sharePersonalData: boolean }[];
}

const coHandlerEntry = (caller: Caller, parties: CaseParties) => parties.coHandlers?.find((c) => c.unit === caller.unit);

/** Holds, held, asked for or co-handles the case. */
const handlesOrHeld = (caller: Caller, parties: CaseParties): boolean =>
  caller.unit === parties.originUnit || caller.unit === parties.assignedUnit || parties.involvedUnits.includes(caller.unit);

export const isPartyTo = (caller: Caller, parties: CaseParties): boolean =>
  handlesOrHeld(caller, parties) || coHandlerEntry(caller, parties) !== undefined;

export const canReadCase = (caller: Caller, parties: CaseParties): boolean =>
  seesAllCases(caller) || isPartyTo(caller, parties);

/**
 * Personal data: units involved and the supervisor only. Auditors and operators never see it,
 * even when their unit (the centre, the city office) is a party to the case.
 */
export const canSeePersonalData = (caller: Caller, parties: CaseParties): boolean =>
  caller.role === 'supervisor' ||
  (!OVERSIGHT_ROLES.includes(caller.role) && (handlesOrHeld(caller, parties) || coHandlerEntry(caller, parties)?.sharePersonalData === true));

/** Roles that handle cases as the assigned unit (sign off, add progress, resolve, escalate, return, extension). */
const HANDLING_ROLES: ReadonlySet<Role> = new Set(['community', 'agency', 'district-office', 'city-office', 'conference']);

export const handlesCases = (caller: Caller): boolean => HANDLING_ROLES.has(caller.role);
