import { ROLES, ROLE_OF_UNIT_KIND, roleFitsUnitKind } from '../../../functions/domain/roles';
import { UNIT_KINDS } from '../../../functions/domain/directory';

describe('which roles a unit of each kind may sign in with', () => {
  const fits = (kind: string) => ROLES.filter((role) => roleFitsUnitKind(role, kind));

  test.each([
    ['community', ['community']],
    ['street-office', ['agency']],
    ['district-department', ['agency']],
    ['city-department', ['agency']],
    ['district-office', ['district-office']],
    ['city-office', ['city-office', 'auditor', 'operator']],
    ['joint-conference', ['conference']],
    ['supervision-centre', ['supervisor', 'auditor', 'operator']],
    ['mediation-committee', ['mediator']],
  ])('a %s: %j', (kind, roles) => {
    expect(fits(kind).sort()).toEqual([...roles].sort());
  });

  test('every kind in the directory has its own role, and an unknown kind has none', () => {
    for (const kind of UNIT_KINDS) expect(roleFitsUnitKind(ROLE_OF_UNIT_KIND[kind], kind)).toBe(true);
    expect(fits('no-such-kind')).toEqual([]);
  });
});
