import unitsJson from '../../../config/units.json';
import {
  defaultDirectory,
  DirectoryError,
  MEDIATION_CHANNELS,
  UnitDirectory,
  UnknownUnitError,
  type DirectoryData,
  type Unit,
} from '../../../functions/domain/directory';

const data = unitsJson as DirectoryData;

/** A copy of the real data with some units replaced, removed or added. */
function variant(change: (units: Unit[]) => Unit[]): DirectoryData {
  return { districts: data.districts, units: change(data.units.map((unit) => ({ ...unit }))) };
}

function problemsOf(build: () => unknown): readonly string[] {
  try {
    build();
  } catch (error) {
    if (error instanceof DirectoryError) return error.problems;
    throw error;
  }
  throw new Error('expected a DirectoryError');
}

describe('the Yichang directory', () => {
  const units = defaultDirectory.all();
  const ofKind = (kind: Unit['kind']) => units.filter((unit) => unit.kind === kind);

  it('has the four central districts, each with two or more street offices', () => {
    expect(defaultDirectory.districts().map((d) => d.id)).toEqual(['xiling', 'wujiagang', 'dianjun', 'xiaoting']);
    for (const district of defaultDirectory.districts()) {
      expect(ofKind('street-office').filter((s) => s.district === district.id).length).toBeGreaterThanOrEqual(2);
    }
  });

  it('has at least 14 communities, each under a street office of its own district', () => {
    const communities = ofKind('community');
    expect(communities.length).toBeGreaterThanOrEqual(14);
    for (const community of communities) {
      const street = defaultDirectory.require(community.parent!);
      expect(street.kind).toBe('street-office');
      expect(street.district).toBe(community.district);
    }
  });

  it('contains the communities named in the seed', () => {
    expect(defaultDirectory.require('community-xiling-shengli-silu').name).toBe('胜利四路社区');
    expect(defaultDirectory.require('community-wujiagang-longpanhu').name).toBe('龙盘湖社区');
    expect(defaultDirectory.require('community-xiaoting-xiamacao').parent).toBe('street-xiaoting-yunchi');
  });

  it('contains the city departments the seed names, plus traffic police and health', () => {
    for (const id of [
      'city-dept-urban-management',
      'city-dept-public-security',
      'city-dept-commerce',
      'city-dept-housing',
      'city-dept-environment',
      'city-dept-human-resources',
      'city-dept-traffic-police',
      'city-dept-health',
      'city-dept-civil-affairs',
      'city-dept-justice',
    ]) {
      const unit = defaultDirectory.require(id);
      expect(unit).toMatchObject({ kind: 'city-department', tier: 0, parent: 'city-office', district: null });
    }
  });

  it('gives every district its departments and its tier-1 office', () => {
    for (const { id } of defaultDirectory.districts()) {
      for (const key of ['civil-affairs', 'housing', 'justice', 'human-resources', 'urban-management']) {
        expect(defaultDirectory.districtDepartment(id, key)?.parent).toBe(`district-office-${id}`);
      }
      expect(defaultDirectory.districtOfficeFor(id)).toMatchObject({ id: `district-office-${id}`, tier: 1, parent: 'city-office' });
    }
  });

  it('has one city office, joint conference and supervision centre, with their tiers', () => {
    expect(defaultDirectory.cityOffice()).toMatchObject({ id: 'city-office', tier: 2, parent: 'joint-conference', district: null });
    expect(defaultDirectory.jointConference()).toMatchObject({ id: 'joint-conference', tier: 3, parent: null });
    expect(defaultDirectory.supervisionCentre()).toMatchObject({ id: 'supervision-centre', tier: null, parent: null });
    expect(defaultDirectory.supervisionCentre().name).toBe('宜昌市社区网格管理监管中心');
  });

  it('uses readable kebab-case ids and only the contract’s fields (a mediation committee adds its channel, level and sectors)', () => {
    for (const unit of units) {
      expect(unit.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      const mediation = unit.kind === 'mediation-committee' ? ['channel', 'level', ...('categories' in unit ? ['categories'] : [])] : [];
      expect(Object.keys(unit).sort()).toEqual(['district', 'id', 'kind', 'name', 'nameEn', 'parent', 'tier', ...mediation].sort());
    }
  });

  it('has the mediation bodies of the "three in one" mechanism: every channel, the sector committees, and people\'s mediation at every level', () => {
    const committees = defaultDirectory.ofKind('mediation-committee');
    expect(new Set(committees.map((c) => c.channel))).toEqual(new Set(MEDIATION_CHANNELS));
    expect(new Set(committees.filter((c) => c.channel === 'people').map((c) => c.level))).toEqual(new Set(['group', 'community', 'street', 'above']));
    expect(defaultDirectory.get('mediation-city-traffic-accident')).toMatchObject({ channel: 'people', categories: ['road-traffic-accident'] });
    expect(defaultDirectory.get('mediation-city-medical-dispute')).toMatchObject({ channel: 'third-party', categories: ['medical-dispute'] });
    // A committee sits in its parent's district (a city bureau's committee in none).
    for (const committee of committees) expect(committee.district).toBe(defaultDirectory.require(committee.parent!).district);
  });

  it('rejects a mediation committee without a channel, a channel on another kind, a committee outside its parent\'s district and an unknown sector', () => {
    const problems = problemsOf(() =>
      new UnitDirectory(
        variant((units) =>
          units.map((u) => {
            if (u.id === 'mediation-xiling-shengli-silu') return { ...u, channel: undefined };
            if (u.id === 'city-dept-health') return { ...u, channel: 'people' as const };
            if (u.id === 'mediation-xiling-xiling-street') return { ...u, district: 'wujiagang' };
            if (u.id === 'mediation-city-medical-dispute') return { ...u, categories: ['astrology'] };
            return u;
          }),
        ),
      ),
    );
    expect(problems).toContain('mediation-xiling-shengli-silu: a channel belongs to a mediation committee, and every mediation committee has one');
    expect(problems).toContain('city-dept-health: a channel belongs to a mediation committee, and every mediation committee has one');
    expect(problems).toContain("mediation-xiling-xiling-street: a mediation committee is in its parent's district (xiling), not wujiagang");
    expect(problems).toContain('mediation-city-medical-dispute: unknown category astrology');
  });

  it('answers lookups', () => {
    expect(defaultDirectory.get('no-such-unit')).toBeUndefined();
    expect(() => defaultDirectory.require('no-such-unit')).toThrow(UnknownUnitError);
    expect(() => defaultDirectory.districtOfficeFor('yiling')).toThrow(UnknownUnitError);
    expect(defaultDirectory.districtDepartment('xiling', 'astronomy')).toBeUndefined();
    expect(defaultDirectory.ofKind('district-office')).toHaveLength(4);
  });
});

describe('directory validation', () => {
  it('accepts the real data', () => {
    expect(() => new UnitDirectory(data)).not.toThrow();
  });

  it('rejects a unit whose parent does not exist', () => {
    const problems = problemsOf(() =>
      new UnitDirectory(variant((units) => units.filter((unit) => unit.id !== 'street-xiling-xueyuan'))),
    );
    expect(problems).toContain('community-xiling-wuguibei: parent street-xiling-xueyuan does not exist');
  });

  it('rejects a duplicate id', () => {
    const problems = problemsOf(() =>
      new UnitDirectory(variant((units) => [...units, { ...units.find((u) => u.kind === 'community')! }])),
    );
    expect(problems.some((p) => p.includes('is used twice'))).toBe(true);
  });

  it('rejects a community under a street office of another district', () => {
    const problems = problemsOf(() =>
      new UnitDirectory(
        variant((units) =>
          units.map((unit) => (unit.id === 'community-xiling-dongshan' ? { ...unit, parent: 'street-wujiagang-baotahe' } : unit)),
        ),
      ),
    );
    expect(problems).toEqual([
      'community-xiling-dongshan: parent street-wujiagang-baotahe is in district wujiagang, not xiling',
    ]);
  });

  it('rejects a community hung directly under a district office', () => {
    const problems = problemsOf(() =>
      new UnitDirectory(
        variant((units) =>
          units.map((unit) => (unit.id === 'community-dianjun-wulong' ? { ...unit, parent: 'district-office-dianjun' } : unit)),
        ),
      ),
    );
    expect(problems[0]).toMatch(/is a district-office, expected a street-office/);
  });

  it('rejects a district without its office and a second city office', () => {
    const problems = problemsOf(() =>
      new UnitDirectory(
        variant((units) => [
          ...units.filter((unit) => unit.id !== 'district-office-xiaoting' && unit.district !== 'xiaoting'),
          { ...units.find((u) => u.id === 'city-office')!, id: 'city-office-2' },
        ]),
      ),
    );
    expect(problems).toContain('district xiaoting has no district office');
    expect(problems).toContain('there must be exactly one city-office, found 2');
  });

  it('rejects a wrong tier, a city unit with a district and an unknown kind', () => {
    const wrongTier = problemsOf(() =>
      new UnitDirectory(variant((units) => units.map((u) => (u.id === 'city-office' ? { ...u, tier: 1 as const } : u)))),
    );
    expect(wrongTier).toContain('city-office: a city-office has tier 2, not 1');
    const cityInDistrict = problemsOf(() =>
      new UnitDirectory(variant((units) => units.map((u) => (u.id === 'city-dept-health' ? { ...u, district: 'xiling' } : u)))),
    );
    expect(cityInDistrict).toContain('city-dept-health: a city-department is city-level and has no district');
    expect(() =>
      new UnitDirectory(variant((units) => units.map((u) => (u.id === 'city-dept-health' ? { ...u, kind: 'hospital' as never } : u)))),
    ).toThrow(DirectoryError);
  });
});
