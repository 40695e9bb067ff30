import { parseArgs } from 'node:util';
import { ROLES, CallerSchema, type Role } from '../functions/domain/identity';
import { ROLE_OF_UNIT_KIND, roleFitsUnitKind } from '../functions/domain/roles';
import { defaultDirectory } from '../functions/domain/directory';
import { loadOrCreateKeys, signToken } from './jwt';
import { localSettings } from './settings';

/** `npm run token -- --unit <id> --role <role> [--sub <name>] [--hours <n>]`: a bearer token for the local stack. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { unit: { type: 'string' }, role: { type: 'string' }, sub: { type: 'string' }, hours: { type: 'string', default: '12' } },
  });
  const usage = `usage: npm run token -- --unit <unit id> --role <${ROLES.join('|')}> [--sub <user>] [--hours <n>]`;
  if (!values.unit || !values.role) throw new Error(usage);
  const unit = defaultDirectory.get(values.unit);
  if (!unit) throw new Error(`Unknown unit ${values.unit}: see GET /v1/units for the ids.\n${usage}`);
  if (!roleFitsUnitKind(values.role as Role, unit.kind)) {
    throw new Error(`The role ${values.role} does not fit ${unit.id} (a ${unit.kind}); a ${unit.kind} signs in as ${ROLE_OF_UNIT_KIND[unit.kind as keyof typeof ROLE_OF_UNIT_KIND] ?? 'an oversight role'}.\n${usage}`);
  }
  const claims = CallerSchema.parse({ sub: values.sub ?? `${values.role}@${unit.id}`, unit: unit.id, role: values.role });
  const hours = Number(values.hours);
  if (!(hours > 0 && hours <= 24 * 30)) throw new Error('--hours must be between 0 and 720');
  const keys = await loadOrCreateKeys(localSettings().keysDir);
  process.stdout.write(`${await signToken(keys, claims, Math.round(hours * 3600))}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(2);
});
