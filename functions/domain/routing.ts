/**
 * Routing: which unit a community sends a case to, by category ("按不同类别在系统分流"), and who
 * takes it over when it is escalated one tier up.
 *
 * A rule names a level rather than a unit wherever the responsible unit depends on where the
 * case comes from:
 *   street   → the origin community's own street office
 *   district → the department with `departmentKey` in the origin community's district
 *   city     → one named city department
 */
import type { Policy } from './policy';
import * as z from 'zod/mini';
import './zod-locale';
import routingJson from '../../config/routing.json';
import { CATEGORY_IDS, CategoryIdSchema, type CategoryId } from './categories';
import { defaultDirectory, type UnitDirectory } from './directory';

export const RoutingRuleSchema = z.discriminatedUnion('level', [
  z.strictObject({ category: CategoryIdSchema, level: z.literal('street') }),
  z.strictObject({ category: CategoryIdSchema, level: z.literal('district'), departmentKey: z.string().check(z.minLength(1)) }),
  z.strictObject({ category: CategoryIdSchema, level: z.literal('city'), unit: z.string().check(z.minLength(1)) }),
]);

export type RoutingRule = z.infer<typeof RoutingRuleSchema>;

export const RoutingRulesSchema = z.strictObject({ rules: z.array(RoutingRuleSchema) });

export interface RoutingRules {
  readonly rules: readonly RoutingRule[];
}

export type EscalationTier = 1 | 2 | 3;

export class RoutingError extends Error {
  override name = 'RoutingError';
}

/**
 * Parses routing rules and checks them against a directory: every category has exactly one
 * rule, every `city` rule names a city department, and every district has the department a
 * `district` rule asks for.
 */
export function parseRoutingRules(data: unknown, directory: UnitDirectory): RoutingRules {
  const parsed = RoutingRulesSchema.safeParse(data);
  if (!parsed.success) throw new RoutingError(`routing rules are invalid:\n${z.prettifyError(parsed.error)}`);
  const problems: string[] = [];

  const seen = new Set<CategoryId>();
  for (const rule of parsed.data.rules) {
    if (seen.has(rule.category)) problems.push(`category ${rule.category} has more than one rule`);
    seen.add(rule.category);

    if (rule.level === 'city') {
      const unit = directory.get(rule.unit);
      if (!unit) problems.push(`${rule.category}: unit ${rule.unit} does not exist`);
      else if (unit.kind !== 'city-department') problems.push(`${rule.category}: ${rule.unit} is a ${unit.kind}, not a city department`);
    } else if (rule.level === 'district') {
      for (const district of directory.districts()) {
        if (!directory.districtDepartment(district.id, rule.departmentKey)) {
          problems.push(`${rule.category}: district ${district.id} has no ${rule.departmentKey} department`);
        }
      }
    }
  }
  for (const category of CATEGORY_IDS) if (!seen.has(category)) problems.push(`category ${category} has no rule`);

  if (problems.length > 0) throw new RoutingError(`routing rules are invalid:\n- ${problems.join('\n- ')}`);
  return Object.freeze({ rules: Object.freeze(parsed.data.rules.map((rule) => Object.freeze(rule))) });
}

/** The responsible unit's id for a new case from `originUnit` (normally a community). */
export function routeCase(
  directory: UnitDirectory,
  rules: RoutingRules,
  input: { category: CategoryId; originUnit: string },
): string {
  const origin = directory.require(input.originUnit);
  const rule = rules.rules.find((candidate) => candidate.category === input.category);
  if (!rule) throw new RoutingError(`no routing rule for category ${input.category}`);

  switch (rule.level) {
    case 'city':
      return rule.unit;
    case 'district': {
      if (origin.district === null) throw new RoutingError(`${origin.id} is city-level; a district rule needs a district`);
      const department = directory.districtDepartment(origin.district, rule.departmentKey);
      if (!department) throw new RoutingError(`district ${origin.district} has no ${rule.departmentKey} department`);
      return department.id;
    }
    case 'street':
      if (origin.kind === 'community' && origin.parent !== null) return origin.parent;
      if (origin.kind === 'street-office') return origin.id;
      throw new RoutingError(`${origin.id} is a ${origin.kind}; a street rule needs a community or street office`);
  }
}

/** The office kinds a case climbs to, and the tier each holds. */
const OFFICE_TIERS = { 'district-office': 1, 'city-office': 2, 'joint-conference': 3 } as const;

/**
 * Who handles a case when its holder hands it up: the office of the holder's own level, as the
 * policy's escalation table says (a city department → the city office; a district department,
 * street office or community → the district office of its district, or of the case's district
 * for a unit without one; district office → city office → joint conference; null at the top).
 */
export function escalationTarget(
  directory: UnitDirectory,
  escalation: Policy['escalation'],
  input: { holder: string; district: string },
): { unit: string; tier: EscalationTier } | null {
  const holder = directory.require(input.holder);
  const office = (escalation as Record<string, keyof typeof OFFICE_TIERS | null | undefined>)[holder.kind];
  if (!office) return null;
  switch (office) {
    case 'district-office':
      return { unit: directory.districtOfficeFor(holder.district ?? input.district).id, tier: OFFICE_TIERS[office] };
    case 'city-office':
      return { unit: directory.cityOffice().id, tier: OFFICE_TIERS[office] };
    case 'joint-conference':
      return { unit: directory.jointConference().id, tier: OFFICE_TIERS[office] };
  }
}

// Pure: a function that never routes (the report's segment reader) leaves the rules and the directory out of its bundle; config tests check both files parse.
export const defaultRoutingRules: RoutingRules = /* @__PURE__ */ parseRoutingRules(routingJson, defaultDirectory);
