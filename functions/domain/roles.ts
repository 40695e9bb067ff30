/**
 * Roles a token may carry (contract.md, "Roles and identity"), and the role a unit of each
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
} as const satisfies Record<string, Role>;
