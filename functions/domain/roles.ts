/**
 * Roles a token may carry (the public contract, docs/api.md, "Roles and identity"), and the role a unit of each
 * kind signs in with. Kept free of imports so the console can bundle it as it is.
 */
export const ROLES = [
  'community',
  'agency',
  'district-office',
  'city-office',
  'conference',
  'supervisor',
  'auditor',
  'operator',
  'mediator',
] as const;
export type Role = (typeof ROLES)[number];

/** Units that handle cases act as agencies; each office and the centre has its own role. */
export const ROLE_OF_UNIT_KIND = {
  community: 'community',
  'street-office': 'agency',
  'district-department': 'agency',
  'city-department': 'agency',
  'district-office': 'district-office',
  'city-office': 'city-office',
  'joint-conference': 'conference',
  'supervision-centre': 'supervisor',
  // A mediation committee's staff: they accept or decline referrals, hold sessions and record outcomes, nothing else.
  'mediation-committee': 'mediator',
} as const satisfies Record<string, Role>;

/** Read-only oversight roles: they see every case, never a complainant, act on none, and are held by staff of the city-level oversight units only. */
export const OVERSIGHT_ROLES: readonly Role[] = ['auditor', 'operator'];
const OVERSIGHT_UNIT_KINDS: readonly string[] = ['supervision-centre', 'city-office'];

/**
 * Whether a token's role fits the kind of unit it names: a community signs in as a community,
 * a department as an agency, and so on. A token that claims more than its unit holds (a
 * community as the supervisor) is refused, whatever signed it.
 */
export function roleFitsUnitKind(role: Role, kind: string): boolean {
  if (OVERSIGHT_ROLES.includes(role)) return OVERSIGHT_UNIT_KINDS.includes(kind);
  return (ROLE_OF_UNIT_KIND as Record<string, Role>)[kind] === role;
}

/** Kinds of unit that handle a case at tier 0: a case can be reassigned to one, and one can co-handle a case. */
export const TIER0_HANDLING_KINDS: readonly string[] = ['community', 'street-office', 'district-department', 'city-department'];

/** Roles that read the monthly assessment (reports and their CSV). */
export const REPORT_READERS: readonly Role[] = ['supervisor', 'auditor'];

/** Who reads the mediation statistics: the supervision centre, the auditors, and the mediation bodies (every body's figures are open to the others: the targets are shared). */
export const MEDIATION_STATISTICS_READERS: readonly Role[] = ['supervisor', 'auditor', 'mediator'];

/** Roles that accept cases: a community for itself, the supervision centre on the hotline's behalf for a community. */
export const INTAKE_ROLES: readonly Role[] = ['community', 'supervisor'];
