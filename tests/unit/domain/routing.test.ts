import routingJson from '../../../config/routing.json';
import { CATEGORY_IDS } from '../../../functions/domain/categories';
import { defaultDirectory } from '../../../functions/domain/directory';
import { defaultPolicy } from '../../../functions/domain/policy';
import {
  defaultRoutingRules,
  escalationTarget,
  parseRoutingRules,
  routeCase,
  RoutingError,
} from '../../../functions/domain/routing';

const route = (category: (typeof CATEGORY_IDS)[number], originUnit: string) =>
  routeCase(defaultDirectory, defaultRoutingRules, { category, originUnit });

describe('routeCase', () => {
  it('routes every category from every community to an existing, ordinary unit', () => {
    const communities = defaultDirectory.ofKind('community');
    for (const community of communities) {
      for (const category of CATEGORY_IDS) {
        const unit = defaultDirectory.require(route(category, community.id));
        expect(unit.tier).toBe(0);
        expect(['street-office', 'district-department', 'city-department']).toContain(unit.kind);
        if (unit.district !== null) expect(unit.district).toBe(community.district);
      }
    }
  });

  it('sends street-level categories to the community’s own street office', () => {
    expect(route('neighbour-family', 'community-xiling-wuguibei')).toBe('street-xiling-xueyuan');
    expect(route('routine', 'community-xiaoting-xiamacao')).toBe('street-xiaoting-yunchi');
  });

  it('sends district-level categories to the department of the community’s district', () => {
    expect(route('civil-affairs-relief', 'community-wujiagang-longpanhu')).toBe('district-dept-wujiagang-civil-affairs');
    expect(route('demolition-compensation', 'community-wujiagang-longpanhu')).toBe('district-dept-wujiagang-housing');
    expect(route('labour-wages', 'community-dianjun-qiaobian')).toBe('district-dept-dianjun-human-resources');
  });

  it('sends city-level categories straight to the city department, as in the seed’s examples', () => {
    // Binjiang International: 胜利四路社区 → 市房管局.
    expect(route('property-management', 'community-xiling-shengli-silu')).toBe('city-dept-housing');
    // Waste water at 下马槽: → 市环保局.
    expect(route('environment-pollution', 'community-xiaoting-xiamacao')).toBe('city-dept-environment');
    expect(route('road-traffic-accident', 'community-dianjun-wulong')).toBe('city-dept-traffic-police');
    expect(route('medical-dispute', 'community-dianjun-wulong')).toBe('city-dept-health');
  });

  it('lets a street office raise a case for its own level', () => {
    expect(route('routine', 'street-xiling-xiling')).toBe('street-xiling-xiling');
  });

  it('refuses origins that cannot be routed', () => {
    expect(() => route('routine', 'no-such-community')).toThrow('unknown unit');
    expect(() => route('routine', 'city-dept-housing')).toThrow(RoutingError);
    expect(() => route('civil-affairs-relief', 'city-office')).toThrow(RoutingError);
  });
});

describe('parseRoutingRules', () => {
  const rules = (routingJson as { rules: Record<string, unknown>[] }).rules;

  it('accepts the shipped rules, one per category', () => {
    expect(defaultRoutingRules.rules.map((rule) => rule.category).sort()).toEqual([...CATEGORY_IDS].sort());
  });

  it('rejects a missing or a repeated category', () => {
    expect(() => parseRoutingRules({ rules: rules.filter((r) => r.category !== 'other') }, defaultDirectory)).toThrow(
      'category other has no rule',
    );
    expect(() => parseRoutingRules({ rules: [...rules, { category: 'routine', level: 'street' }] }, defaultDirectory)).toThrow(
      'category routine has more than one rule',
    );
  });

  it('rejects a district rule for a department some district lacks', () => {
    const broken = rules.map((r) => (r.category === 'labour-wages' ? { ...r, departmentKey: 'labour-arbitration' } : r));
    expect(() => parseRoutingRules({ rules: broken }, defaultDirectory)).toThrow(
      'labour-wages: district xiling has no labour-arbitration department',
    );
  });

  it('rejects a city rule naming a missing unit or a unit that is not a city department', () => {
    const missing = rules.map((r) => (r.category === 'medical-dispute' ? { ...r, unit: 'city-dept-hospital' } : r));
    expect(() => parseRoutingRules({ rules: missing }, defaultDirectory)).toThrow('unit city-dept-hospital does not exist');
    const notDepartment = rules.map((r) => (r.category === 'medical-dispute' ? { ...r, unit: 'city-office' } : r));
    expect(() => parseRoutingRules({ rules: notDepartment }, defaultDirectory)).toThrow('not a city department');
  });

  it('rejects a malformed rule', () => {
    const malformed = rules.map((r) => (r.category === 'routine' ? { category: 'routine', level: 'province' } : r));
    expect(() => parseRoutingRules({ rules: malformed }, defaultDirectory)).toThrow(RoutingError);
  });
});

describe('escalationTarget: by level, as the policy says', () => {
  const next = (holder: string, district = 'wujiagang') => escalationTarget(defaultDirectory, defaultPolicy.escalation, { holder, district });

  it('a community and a street office go to their district office', () => {
    expect(next('community-xiling-shengli-silu', 'xiling')).toEqual({ unit: 'district-office-xiling', tier: 1 });
    expect(next('street-wujiagang-wujiagang')).toEqual({ unit: 'district-office-wujiagang', tier: 1 });
  });

  it("a district department goes to its own district's office, whatever the case's district says", () => {
    const department = defaultDirectory.ofKind('district-department')[0];
    const otherDistrict = defaultDirectory.districts().find((d) => d.id !== department.district)!.id;
    expect(next(department.id, otherDistrict)).toEqual({ unit: defaultDirectory.districtOfficeFor(department.district!).id, tier: 1 });
  });

  it('a city department goes to the city office, not a district office', () => {
    expect(next('city-dept-environment', 'xiling')).toEqual({ unit: 'city-office', tier: 2 });
  });

  it('then district office → city office → joint conference → nothing above', () => {
    expect(next('district-office-xiling')).toEqual({ unit: 'city-office', tier: 2 });
    expect(next('city-office')).toEqual({ unit: 'joint-conference', tier: 3 });
    expect(next('joint-conference')).toBeNull();
  });

  it("matches the directory's parent links for every unit below the offices", () => {
    for (const unit of defaultDirectory.all().filter((u) => ["city-department", 'district-department', "district-office"].includes(u.kind))) {
      expect(next(unit.id)?.unit).toBe(unit.parent);
    }
  });
});
