/**
 * The unit directory: every member unit of the linked-resolution system and how they hang
 * together. The tree (`parent`) is the escalation path, not a line of command for routing:
 * a community sends a case straight to whichever unit is responsible.
 *
 *   community → street office → district office (tier 1) → city office (tier 2) → joint conference (tier 3)
 *   district department → district office;  city department → city office
 *   supervision centre: outside the tree, watches every clock.
 *   mediation committee (调解委员会, 调解室): hangs under the unit that runs it (a community, a street
 *   office, a department, a district office); it is never escalated to and never routed to by itself.
 */
import * as z from 'zod/mini';
import './zod-locale';
import unitsJson from '../../config/units.json';
import { CATEGORY_IDS } from './categories';

export const UNIT_KINDS = [
  'community',
  'street-office',
  'district-department',
  'city-department',
  'district-office',
  'city-office',
  'joint-conference',
  'supervision-centre',
  'mediation-committee',
] as const;

/**
 * The mediation channels of the "three in one" mechanism (人民调解、行政调解、司法调解) and its links:
 * people's mediation, administrative mediation by a department, judicial (court-linked, 诉调对接),
 * police-linked (警调对接), procuratorate-linked (检调对接), and third-party sector mediation.
 */
export const MEDIATION_CHANNELS = ['people', 'administrative', 'judicial', 'police', 'procuratorate', 'third-party'] as const;
export type MediationChannel = (typeof MEDIATION_CHANNELS)[number];

/** Where a dispute was settled: 小事不出组、大事不出村（社区）、难事不出镇（街道）, or above. */
export const MEDIATION_LEVELS = ['group', 'community', 'street', 'above'] as const;
export type MediationLevel = (typeof MEDIATION_LEVELS)[number];

export type UnitKind = (typeof UNIT_KINDS)[number];

/** 0 for ordinary units, 1/2/3 for the escalation offices, null for the supervision centre. */
export type UnitTier = 0 | 1 | 2 | 3 | null;

export interface Unit {
  readonly id: string;
  /** Official name, simplified Chinese. */
  readonly name: string;
  readonly nameEn: string;
  readonly kind: UnitKind;
  readonly tier: UnitTier;
  readonly parent: string | null;
  /** District id, or null for city-level units. */
  readonly district: string | null;
  /** A mediation committee's channel (only on that kind). */
  readonly channel?: MediationChannel;
  /** A mediation committee's level: where a dispute it settles counts as settled. */
  readonly level?: MediationLevel;
  /** A sector committee (traffic accidents, medical disputes) mediates cases of these categories only. */
  readonly categories?: readonly string[];
}

export interface District {
  readonly id: string;
  readonly name: string;
  readonly nameEn: string;
}

export interface DirectoryData {
  readonly districts: readonly District[];
  readonly units: readonly Unit[];
}

const KEBAB_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export const DistrictSchema = z.strictObject({
  id: z.string().check(z.regex(KEBAB_ID)),
  name: z.string().check(z.minLength(1)),
  nameEn: z.string().check(z.minLength(1)),
});

export const UnitSchema = z.strictObject({
  id: z.string().check(z.regex(KEBAB_ID)),
  name: z.string().check(z.minLength(1)),
  nameEn: z.string().check(z.minLength(1)),
  kind: z.enum(UNIT_KINDS),
  tier: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3), z.null()]),
  parent: z.nullable(z.string()),
  district: z.nullable(z.string()),
  channel: z.optional(z.enum(MEDIATION_CHANNELS)),
  level: z.optional(z.enum(MEDIATION_LEVELS)),
  categories: z.optional(z.array(z.string().check(z.regex(KEBAB_ID)))),
});

export const DirectoryDataSchema = z.strictObject({ districts: z.array(DistrictSchema), units: z.array(UnitSchema) });

/**
 * What each kind must look like: its tier, the kind of its parent, and whether it belongs to a district
 * (`either` for a mediation committee: a community's or a district department's is in one, a city
 * bureau's is not; its parent's district decides).
 */
const KIND_RULES: Record<UnitKind, { tier: UnitTier; parentKind: UnitKind | readonly UnitKind[] | null; inDistrict: boolean | 'either' }> = {
  community: { tier: 0, parentKind: 'street-office', inDistrict: true },
  'street-office': { tier: 0, parentKind: 'district-office', inDistrict: true },
  'district-department': { tier: 0, parentKind: 'district-office', inDistrict: true },
  'city-department': { tier: 0, parentKind: 'city-office', inDistrict: false },
  'district-office': { tier: 1, parentKind: 'city-office', inDistrict: true },
  'city-office': { tier: 2, parentKind: 'joint-conference', inDistrict: false },
  'joint-conference': { tier: 3, parentKind: null, inDistrict: false },
  'supervision-centre': { tier: null, parentKind: null, inDistrict: false },
  // Tier 0 like the units that handle cases at intake; a mediation committee never escalates (it mediates, the holder keeps the case).
  'mediation-committee': {
    tier: 0,
    parentKind: ['community', 'street-office', 'district-department', 'city-department', 'district-office', 'city-office'],
    inDistrict: 'either',
  },
};

const SINGLETON_KINDS = ['city-office', 'joint-conference', 'supervision-centre'] as const;

export class UnknownUnitError extends Error {
  override name = 'UnknownUnitError';
  constructor(readonly unitId: string) {
    super(`unknown unit: ${unitId}`);
  }
}

/** The directory data breaks one or more structural rules; `problems` lists every one found. */
export class DirectoryError extends Error {
  override name = 'DirectoryError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid unit directory:\n- ${problems.join('\n- ')}`);
  }
}

export class UnitDirectory {
  private readonly units: readonly Unit[];
  private readonly districtList: readonly District[];
  private readonly byId: ReadonlyMap<string, Unit>;
  private readonly districtOffices: ReadonlyMap<string, Unit>;
  private readonly singletons: Readonly<Record<(typeof SINGLETON_KINDS)[number], Unit>>;

  constructor(data: DirectoryData) {
    const parsed = DirectoryDataSchema.safeParse(data);
    if (!parsed.success) throw new DirectoryError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
    const { districts, units } = parsed.data;
    const problems: string[] = [];

    const districtIds = new Set<string>();
    for (const district of districts) {
      if (districtIds.has(district.id)) problems.push(`district ${district.id} is listed twice`);
      districtIds.add(district.id);
    }

    const byId = new Map<string, Unit>();
    for (const unit of units) {
      if (byId.has(unit.id)) problems.push(`unit id ${unit.id} is used twice`);
      else byId.set(unit.id, Object.freeze({ ...unit }));
    }

    for (const unit of units) {
      const rules = KIND_RULES[unit.kind];
      if (unit.tier !== rules.tier) problems.push(`${unit.id}: a ${unit.kind} has tier ${rules.tier}, not ${unit.tier}`);

      const isCommittee = unit.kind === 'mediation-committee';
      if (isCommittee !== (unit.channel !== undefined)) problems.push(`${unit.id}: a channel belongs to a mediation committee, and every mediation committee has one`);
      if (isCommittee !== (unit.level !== undefined)) problems.push(`${unit.id}: a level belongs to a mediation committee, and every mediation committee has one`);
      if (!isCommittee && unit.categories !== undefined) problems.push(`${unit.id}: only a mediation committee lists the categories it mediates`);
      for (const category of unit.categories ?? []) {
        if (!(CATEGORY_IDS as readonly string[]).includes(category)) problems.push(`${unit.id}: unknown category ${category}`);
      }

      if (rules.inDistrict === 'either') {
        if (unit.district !== null && !districtIds.has(unit.district)) problems.push(`${unit.id}: unknown district ${unit.district}`);
      } else if (rules.inDistrict) {
        if (unit.district === null) problems.push(`${unit.id}: a ${unit.kind} must belong to a district`);
        else if (!districtIds.has(unit.district)) problems.push(`${unit.id}: unknown district ${unit.district}`);
      } else if (unit.district !== null) {
        problems.push(`${unit.id}: a ${unit.kind} is city-level and has no district`);
      }

      if (rules.parentKind === null) {
        if (unit.parent !== null) problems.push(`${unit.id}: a ${unit.kind} has no parent`);
        continue;
      }
      if (unit.parent === null) {
        problems.push(`${unit.id}: a ${unit.kind} needs a parent (${rules.parentKind})`);
        continue;
      }
      const parent = byId.get(unit.parent);
      if (!parent) {
        problems.push(`${unit.id}: parent ${unit.parent} does not exist`);
        continue;
      }
      const parentKinds: readonly UnitKind[] = typeof rules.parentKind === 'string' ? [rules.parentKind] : rules.parentKind;
      if (!parentKinds.includes(parent.kind)) {
        problems.push(`${unit.id}: parent ${parent.id} is a ${parent.kind}, expected a ${parentKinds.join(' or ')}`);
      } else if (rules.inDistrict === 'either' && parent.district !== unit.district) {
        problems.push(`${unit.id}: a mediation committee is in its parent's district (${parent.district ?? 'none'}), not ${unit.district ?? 'none'}`);
      } else if (rules.inDistrict && parent.district !== null && parent.district !== unit.district) {
        problems.push(`${unit.id}: parent ${parent.id} is in district ${parent.district}, not ${unit.district}`);
      }
    }

    const districtOffices = new Map<string, Unit>();
    for (const unit of byId.values()) {
      if (unit.kind !== 'district-office' || unit.district === null) continue;
      if (districtOffices.has(unit.district)) problems.push(`district ${unit.district} has more than one district office`);
      else districtOffices.set(unit.district, unit);
    }
    for (const districtId of districtIds) {
      if (!districtOffices.has(districtId)) problems.push(`district ${districtId} has no district office`);
    }

    const singletons: Partial<Record<(typeof SINGLETON_KINDS)[number], Unit>> = {};
    for (const kind of SINGLETON_KINDS) {
      const found = [...byId.values()].filter((unit) => unit.kind === kind);
      if (found.length !== 1) problems.push(`there must be exactly one ${kind}, found ${found.length}`);
      else singletons[kind] = found[0];
    }

    if (problems.length > 0) throw new DirectoryError(problems);

    this.units = Object.freeze([...byId.values()]);
    this.districtList = Object.freeze(districts.map((district) => Object.freeze({ ...district })));
    this.byId = byId;
    this.districtOffices = districtOffices;
    this.singletons = singletons as Record<(typeof SINGLETON_KINDS)[number], Unit>;
  }

  /** A unit's name in a language (Chinese, or English for `en`), for texts written for people. */
  readonly nameOf = (id: string, lang: 'zh-CN' | 'en'): string | undefined => {
    const unit = this.get(id);
    return unit ? (lang === 'en' ? unit.nameEn : unit.name) : undefined;
  };

  get(id: string): Unit | undefined {
    return this.byId.get(id);
  }

  require(id: string): Unit {
    const unit = this.byId.get(id);
    if (!unit) throw new UnknownUnitError(id);
    return unit;
  }

  all(): readonly Unit[] {
    return this.units;
  }

  ofKind(kind: UnitKind): Unit[] {
    return this.units.filter((unit) => unit.kind === kind);
  }

  districts(): readonly District[] {
    return this.districtList;
  }

  districtOfficeFor(district: string): Unit {
    const office = this.districtOffices.get(district);
    if (!office) throw new UnknownUnitError(`district-office-${district}`);
    return office;
  }

  /** The district department `district-dept-<district>-<key>`, if that district has one. */
  districtDepartment(district: string, departmentKey: string): Unit | undefined {
    const unit = this.byId.get(`district-dept-${district}-${departmentKey}`);
    return unit?.kind === 'district-department' && unit.district === district ? unit : undefined;
  }

  cityOffice(): Unit {
    return this.singletons['city-office'];
  }

  jointConference(): Unit {
    return this.singletons['joint-conference'];
  }

  supervisionCentre(): Unit {
    return this.singletons['supervision-centre'];
  }
}

// Pure: a function that never reads the directory leaves it (and units.json, 16 KiB) out of its bundle; config tests check the file parses.
export const defaultDirectory = /* @__PURE__ */ new UnitDirectory(unitsJson as DirectoryData);
