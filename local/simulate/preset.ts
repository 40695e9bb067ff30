import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CATEGORY_IDS } from '../../functions/domain/categories';
import { REPORT_CHANNELS } from '../../functions/domain/case';
import { defaultDirectory } from '../../functions/domain/directory';
import { MEDIATION_ADVICE } from '../../functions/domain/mediation/model';

/*
 * A simulation preset: every parameter of a replay in one JSON file (local/simulate/presets/).
 * The shares are probabilities drawn per case from a seeded generator; nothing in a preset names
 * an outcome directly, so the report's figures are what the system made of the behaviour.
 */
export const PRESET_DIR = join(__dirname, 'presets');

/** Largest run the tool accepts: beyond it the plan alone would not fit in memory. */
export const MAX_CASES = 10_000_000;
export const MAX_MONTHS = 60;

const Share = z.number().min(0).max(1);
/** A range [low, high] in days (fractions allowed). */
const Days = z.tuple([z.number().min(0), z.number().min(0)]).refine(([low, high]) => low <= high, 'low must not exceed high');
const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as yyyy-mm');

export const PresetSchema = z.strictObject({
  description: z.string().min(1),
  /** First month replayed (yyyy-mm). */
  start: Month,
  months: z.number().int().min(1).max(MAX_MONTHS),
  cases: z.number().int().min(1).max(MAX_CASES),
  seed: z.number().int(),
  /** Month-on-month growth of intake: month k gets a share proportional to (1 + growth)^k. */
  growth: z.number().min(-0.9).max(10),
  /** Hours of the day (Shanghai) in which cases arrive: [from, to). */
  intakeHours: z.tuple([z.number().int().min(0).max(23), z.number().int().min(1).max(24)]),
  /** Minutes of virtual time per slot: actions due inside one are sent together (default 30; at most 6 hours, so every window keeps its margin). */
  slotMinutes: z.optional(z.number().int().min(5).max(360).refine((m) => 1440 % m === 0, 'a divisor of a day')),
  /** Whether cases arrive on weekends and holidays too (a 12345 hotline does). */
  intakeOnRestDays: z.boolean(),
  /** Communities that accept cases (unit ids); empty: every community in config/units.json. */
  communities: z.array(z.string()),
  /** Weights of the channels a case arrives by. */
  channels: z.partialRecord(z.enum(REPORT_CHANNELS), z.number().min(0)),
  /** Weights of the categories (counts, when the source gives them). */
  categories: z.partialRecord(z.enum(CATEGORY_IDS), z.number().min(0)),
  behaviour: z.strictObject({
    /** The community keeps the case and handles it itself (名下办结). */
    kept: Share,
    /** Hours from intake (or hand-over) to the routed unit's sign-off. */
    signOffHours: Days,
    /** A routed unit lets the first sign-off window run out, then signs off. */
    lateSignOff: Share,
    /** Days from sign-off to the result, for most cases. */
    resolveDays: Days,
    /** Share of cases that take longer, and how long. */
    slow: Share,
    slowResolveDays: Days,
    /** Nobody ever reports a result: the workflow escalates the case up to the joint conference. */
    stuck: Share,
    /** A routed unit asks to escalate; the tier above signs off and resolves. */
    escalate: Share,
    /** A routed unit returns the case; the supervision centre re-routes it to the community's street office. */
    return: Share,
    /** The holder asks for more working days; the supervision centre approves. */
    extension: Share,
    /** The supervision centre urges the case while it is being handled (督办). */
    urge: Share,
    /** Days from the result to the community's rating. */
    evaluateDays: Days,
    /** Ratings: the rest is satisfied. `unsatisfied` reopens the case, which is resolved again and then rated satisfied. */
    unsatisfied: Share,
    /** The community never rates: the evaluation window runs out (not evaluated). */
    notEvaluated: Share,
  }),
  /**
   * Mediation (调解, docs/mediation.md): which cases are referred to a mediation body and what the
   * body does with them. Drawn from a generator of its own (seeded from `seed`), so adding it to a
   * preset leaves every other draw of the plan as it was. A mediated case follows the normal
   * handling script around the mediation: no urge, extension, escalation or return.
   */
  mediation: z.optional(
    z.strictObject({
      /** Share of each category's cases referred to a mediation body. */
      referred: z.partialRecord(z.enum(CATEGORY_IDS), Share),
      /** The body each referred category goes to: a mediation committee in config/units.json that takes the category. */
      bodies: z.partialRecord(z.enum(CATEGORY_IDS), z.string()),
      /** Of the referred cases, the share the accepting community refers at intake; the holder refers the rest after signing off. */
      atIntake: Share,
      /** Hours from intake (or from the holder's sign-off) to the referral. */
      referHours: Days,
      /** Hours from the referral to the body's answer (kept inside its acceptance window). */
      answerHours: Days,
      /** The body declines (with a reason): the case goes back to the holder. */
      declined: Share,
      /** How many sessions an accepted mediation holds: [fewest, most]. */
      sessions: z.tuple([z.number().int().min(1).max(10), z.number().int().min(1).max(10)]).refine(([low, high]) => low <= high, 'low must not exceed high'),
      /** Days from acceptance to the outcome (kept inside the mediation window, the category's handling window). */
      concludeDays: z.tuple([z.number().min(1), z.number().min(1)]).refine(([low, high]) => low <= high, 'low must not exceed high'),
      /** Of the concluded mediations, the share that ends with an agreement (signed by the parties); the rest fail. */
      agreement: Share,
      /** The amount an agreement settles, in yuan: [low, high] (to the fen). */
      amountYuan: z.tuple([z.number().min(0.01).max(50_000_000), z.number().min(0.01).max(50_000_000)]).refine(([low, high]) => low <= high, 'low must not exceed high'),
      /** Days from the agreement to the day it is to be carried out by. */
      payDays: z.tuple([z.number().min(1), z.number().min(1)]).refine(([low, high]) => low <= high, 'low must not exceed high'),
      /** Days from the agreement to the body's record of the fulfilment (kept before the end of the agreed day). */
      fulfilDays: Days,
      /** Of the agreements, the share carried out; the rest are recorded as not carried out (an alert, back to the holder). */
      fulfilled: Share,
      /** Weights of the advice a failed mediation gives the parties. */
      advice: z.partialRecord(z.enum(MEDIATION_ADVICE), z.number().min(0)),
    }),
  ),
  /**
   * A sector's figures as the source gives them, for one mediation body: printed beside the
   * system's own statistics (GET /v1/statistics/mediation) with the difference and the bound.
   */
  sectorFigures: z.optional(
    z.strictObject({
      /** The mediation body whose figures these are. */
      body: z.string(),
      /** The source's words, printed above the table. */
      source: z.string().min(1),
      /** Referrals received; `atLeast`: the source says "and more" (余), so the bound is the figure or above. */
      received: z.optional(z.strictObject({ value: z.number().int().min(0), atLeast: z.optional(z.boolean()) })),
      /** Closed (结案): concluded with an agreement. */
      agreements: z.optional(z.strictObject({ value: z.number().int().min(0), atLeast: z.optional(z.boolean()) })),
      /** Success rate in percent: agreements over concluded mediations (the system's definition). */
      successRatePercent: z.optional(z.number().min(0).max(100)),
      /** The rate the source prints for closed over received, in percent, when it does not follow from its own counts: shown, not bounded. */
      closedRatePercent: z.optional(z.number().min(0).max(100)),
      /** The amounts at stake, in yuan; `atLeast` as above. */
      amountYuan: z.optional(z.strictObject({ value: z.number().min(0), atLeast: z.optional(z.boolean()) })),
    }),
  ),
  /** A unit that ignores every case it is given (the bad month): it never signs off, resolves or returns. */
  ignoringUnit: z.optional(z.string()),
  /** The figures the source reports for the same period, to print beside the simulated ones. */
  seedFigures: z.optional(
    z.strictObject({
      received: z.number().int(),
      resolved: z.number().int(),
      resolvedInCommunity: z.number().int(),
      satisfied: z.number().int(),
      resolvedInMonthOfArrivalPercent: z.optional(z.number()),
      urges: z.optional(z.number().int()),
      investigated: z.optional(z.number().int()),
    }),
  ),
});
export type Preset = z.infer<typeof PresetSchema>;

export class SimulationInputError extends Error {
  override name = 'SimulationInputError';
}

export function presetNames(dir = PRESET_DIR): string[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

/** Reads and checks a preset by name; an unknown name or a bad file is a SimulationInputError naming what is wrong. */
export function loadPreset(name: string, dir = PRESET_DIR): Preset {
  if (!/^[a-z0-9-]{1,64}$/.test(name) || !existsSync(join(dir, `${name}.json`))) {
    throw new SimulationInputError(`Unknown preset "${name}". Presets: ${presetNames(dir).join(', ')}.`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8'));
  } catch (error) {
    throw new SimulationInputError(`Preset ${name} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = PresetSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new SimulationInputError(`Preset ${name}: ${first.path.join('.') || '(root)'}: ${first.message}`);
  }
  checkUnits(parsed.data, name);
  return parsed.data;
}

function checkUnits(preset: Preset, name: string): void {
  const directory = defaultDirectory;
  for (const id of preset.communities) {
    if (directory.get(id)?.kind !== 'community') throw new SimulationInputError(`Preset ${name}: ${id} is not a community in config/units.json.`);
  }
  if (preset.ignoringUnit && !directory.get(preset.ignoringUnit)) {
    throw new SimulationInputError(`Preset ${name}: ignoringUnit ${preset.ignoringUnit} is not a unit in config/units.json.`);
  }
  if (!Object.values(preset.channels).some((w) => w > 0)) throw new SimulationInputError(`Preset ${name}: channels need a positive weight.`);
  if (!Object.values(preset.categories).some((w) => w > 0)) throw new SimulationInputError(`Preset ${name}: categories need a positive weight.`);
  const b = preset.behaviour;
  if (b.unsatisfied + b.notEvaluated > 1) throw new SimulationInputError(`Preset ${name}: the rating shares add up to more than 1.`);
  if (b.escalate + b.return + b.stuck + b.extension > 1) throw new SimulationInputError(`Preset ${name}: the handling shares add up to more than 1.`);
  checkMediation(preset, name);
}

function checkMediation(preset: Preset, name: string): void {
  const m = preset.mediation;
  const sector = preset.sectorFigures;
  if (sector) {
    if (!m) throw new SimulationInputError(`Preset ${name}: sectorFigures need a mediation section to reproduce them.`);
    if (!Object.values(m.bodies).includes(sector.body)) throw new SimulationInputError(`Preset ${name}: sectorFigures.body ${sector.body} is not one of mediation.bodies.`);
  }
  if (!m) return;
  for (const [category, share] of Object.entries(m.referred)) {
    const bodyId = m.bodies[category as keyof typeof m.bodies];
    if (share! > 0 && !bodyId) throw new SimulationInputError(`Preset ${name}: mediation.referred names ${category} but mediation.bodies gives it no body.`);
  }
  for (const [category, bodyId] of Object.entries(m.bodies)) {
    const unit = defaultDirectory.get(bodyId!);
    if (unit?.kind !== 'mediation-committee') throw new SimulationInputError(`Preset ${name}: mediation.bodies.${category}: ${bodyId} is not a mediation committee in config/units.json.`);
    if (unit.categories && !unit.categories.includes(category)) {
      throw new SimulationInputError(`Preset ${name}: mediation.bodies.${category}: ${bodyId} takes only ${unit.categories.join(', ')}.`);
    }
  }
  if (m.agreement < 1 && !Object.values(m.advice).some((w) => w! > 0)) throw new SimulationInputError(`Preset ${name}: mediation.advice needs a positive weight when some mediations fail.`);
}

/** What the command line asks for, before anything starts. */
export interface SimulationOptions {
  readonly preset: string;
  readonly cases?: number;
  readonly months?: number;
  readonly seed?: number;
  /** Concurrent requests per batch. */
  readonly speed?: number;
  readonly add: boolean;
  readonly inMemory: boolean;
}

function integerOption(name: string, value: string | undefined, min: number, max: number, what: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value.trim())) throw new SimulationInputError(`--${name} must be a whole number (${what}), got "${value}".`);
  const n = Number(value);
  if (n < min || n > max) throw new SimulationInputError(`--${name} must be between ${min.toLocaleString('en')} and ${max.toLocaleString('en')} (${what}), got ${value}.`);
  return n;
}

/** Checks the raw option strings: a clear error before anything starts, or the options. */
export function parseSimulationOptions(raw: Record<string, string | boolean | undefined>): SimulationOptions {
  const known = new Set(['preset', 'cases', 'months', 'seed', 'speed', 'add', 'in-memory']);
  for (const key of Object.keys(raw)) if (!known.has(key)) throw new SimulationInputError(`Unknown option --${key}. Options: ${[...known].map((k) => `--${k}`).join(', ')}.`);
  const preset = typeof raw.preset === 'string' ? raw.preset : undefined;
  if (!preset) throw new SimulationInputError(`Name a preset: --preset <name> (${presetNames().join(', ')}).`);
  const str = (key: string) => (typeof raw[key] === 'string' ? (raw[key] as string) : raw[key] === undefined ? undefined : String(raw[key]));
  const cases = integerOption('cases', str('cases'), 1, MAX_CASES, 'cases to replay');
  const months = integerOption('months', str('months'), 1, MAX_MONTHS, 'months to replay');
  const seed = integerOption('seed', str('seed'), 0, 2 ** 32 - 1, 'the random generator\'s seed');
  const speed = integerOption('speed', str('speed'), 1, 256, 'requests in flight at once');
  return {
    preset,
    ...(cases !== undefined ? { cases } : {}),
    ...(months !== undefined ? { months } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(speed !== undefined ? { speed } : {}),
    add: raw.add === true,
    inMemory: raw['in-memory'] === true,
  };
}

/** The preset with the command line's overrides applied. */
export function resolvePreset(options: SimulationOptions): Preset {
  const preset = loadPreset(options.preset);
  return {
    ...preset,
    ...(options.cases !== undefined ? { cases: options.cases } : {}),
    ...(options.months !== undefined ? { months: options.months } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  };
}
