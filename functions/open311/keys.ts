import { defaultDirectory, type UnitDirectory } from '../domain/directory';
import { INTAKE_ROLES, ROLE_OF_UNIT_KIND, type Role } from '../domain/roles';
import { toShanghaiIso } from '../domain/calendar';
import type { IssuedKey, Open311KeyStore } from '../store/open311-key-store';

/**
 * The role a unit accepts cases with, when it may: a community for itself, the supervision centre
 * for the city hotline (INTAKE_ROLES). Any other unit gets no Open311 key.
 */
export function intakeRoleOf(unitId: string, directory: UnitDirectory = defaultDirectory): 'community' | 'supervisor' | undefined {
  const unit = directory.get(unitId);
  if (!unit) return undefined;
  const role = (ROLE_OF_UNIT_KIND as Record<string, Role>)[unit.kind];
  return role && INTAKE_ROLES.includes(role) ? (role as 'community' | 'supervisor') : undefined;
}

export class KeyRefused extends Error {
  override readonly name = 'KeyRefused';
}

/** Issues an api_key for `unitId`, refused for a unit that does not accept cases. The one function the CLI calls, locally and in AWS. */
export async function issueOpen311Key(store: Open311KeyStore, unitId: string, nowMs: number, label?: string): Promise<IssuedKey> {
  const unit = defaultDirectory.get(unitId);
  if (!unit) throw new KeyRefused(`Unknown unit ${unitId}: see GET /v1/units for the ids.`);
  if (!intakeRoleOf(unitId)) {
    throw new KeyRefused(`${unitId} (a ${unit.kind}) does not accept cases; an api_key goes to a community or to the supervision centre (the city hotline).`);
  }
  return store.issue(unitId, toShanghaiIso(nowMs), label);
}
