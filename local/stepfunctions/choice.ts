/** Choice state rules: comparisons, type tests and the And / Or / Not combinators. */
import { StatesError, STATES_RUNTIME } from './errors';
import { readPath } from './dataflow';
import { isObject } from './jsonpath';

type ValueType = 'string' | 'number' | 'boolean' | 'timestamp';
type Relation = 'Equals' | 'LessThan' | 'GreaterThan' | 'LessThanEquals' | 'GreaterThanEquals';

/** Every comparison operator: name → the type it compares and how. */
export const COMPARISON_OPERATORS: Record<string, { type: ValueType; relation: Relation; path: boolean }> = {};
for (const [prefix, type] of [
  ['String', 'string'],
  ['Numeric', 'number'],
  ['Timestamp', 'timestamp'],
] as const) {
  for (const relation of ['Equals', 'LessThan', 'GreaterThan', 'LessThanEquals', 'GreaterThanEquals'] as const) {
    COMPARISON_OPERATORS[`${prefix}${relation}`] = { type, relation, path: false };
    COMPARISON_OPERATORS[`${prefix}${relation}Path`] = { type, relation, path: true };
  }
}
COMPARISON_OPERATORS.BooleanEquals = { type: 'boolean', relation: 'Equals', path: false };
COMPARISON_OPERATORS.BooleanEqualsPath = { type: 'boolean', relation: 'Equals', path: true };

export const TYPE_TEST_OPERATORS = ['IsNull', 'IsPresent', 'IsNumeric', 'IsString', 'IsBoolean', 'IsTimestamp'] as const;
export const STRING_MATCHES = 'StringMatches';

export type ChoiceRule = Record<string, unknown>;

/** Returns the Next of the first matching rule, else Default (undefined when there is neither). */
export function chooseNext(
  stateName: string,
  choices: ChoiceRule[],
  defaultNext: string | undefined,
  input: unknown,
  context: unknown,
): string | undefined {
  for (const rule of choices) {
    if (evaluateRule(stateName, rule, input, context)) return rule.Next as string;
  }
  return defaultNext;
}

export function evaluateRule(stateName: string, rule: ChoiceRule, input: unknown, context: unknown): boolean {
  if (Array.isArray(rule.And)) return (rule.And as ChoiceRule[]).every((r) => evaluateRule(stateName, r, input, context));
  if (Array.isArray(rule.Or)) return (rule.Or as ChoiceRule[]).some((r) => evaluateRule(stateName, r, input, context));
  if (isObject(rule.Not)) return !evaluateRule(stateName, rule.Not, input, context);

  const variablePath = rule.Variable as string;
  const variable = readPath(variablePath, input, context);
  if ('IsPresent' in rule) return variable.found === rule.IsPresent;
  if (!variable.found) throw invalidChoicePath(stateName, variablePath);
  const value = variable.value;

  for (const test of TYPE_TEST_OPERATORS) {
    if (!(test in rule)) continue;
    const holds =
      test === 'IsNull'
        ? value === null
        : test === 'IsNumeric'
          ? typeof value === 'number'
          : test === 'IsString'
            ? typeof value === 'string'
            : test === 'IsBoolean'
              ? typeof value === 'boolean'
              : parseTimestamp(value) !== undefined;
    return holds === rule[test];
  }

  if (STRING_MATCHES in rule) return typeof value === 'string' && wildcardToRegExp(rule[STRING_MATCHES] as string).test(value);

  for (const [operator, spec] of Object.entries(COMPARISON_OPERATORS)) {
    if (!(operator in rule)) continue;
    let expected = rule[operator];
    if (spec.path) {
      const other = readPath(expected as string, input, context);
      if (!other.found) throw invalidChoicePath(stateName, expected as string);
      expected = other.value;
    }
    return compareTyped(spec.type, spec.relation, value, expected);
  }
  throw new StatesError(STATES_RUNTIME, `The choice rule in state '${stateName}' has no comparison operator`);
}

function compareTyped(type: ValueType, relation: Relation, actual: unknown, expected: unknown): boolean {
  let order: number;
  switch (type) {
    case 'boolean':
      return typeof actual === 'boolean' && actual === expected;
    case 'string':
      if (typeof actual !== 'string' || typeof expected !== 'string') return false;
      order = actual < expected ? -1 : actual > expected ? 1 : 0;
      break;
    case 'number':
      if (typeof actual !== 'number' || typeof expected !== 'number') return false;
      order = Math.sign(actual - expected);
      break;
    case 'timestamp': {
      const a = parseTimestamp(actual);
      const b = parseTimestamp(expected);
      if (a === undefined || b === undefined) return false;
      order = a < b ? -1 : a > b ? 1 : 0;
      break;
    }
  }
  switch (relation) {
    case 'Equals':
      return order === 0;
    case 'LessThan':
      return order < 0;
    case 'GreaterThan':
      return order > 0;
    case 'LessThanEquals':
      return order <= 0;
    case 'GreaterThanEquals':
      return order >= 0;
  }
}

/**
 * RFC 3339 as the States Language restricts it: an uppercase `T` between date and time, and an
 * uppercase `Z` when there is no numeric offset (RFC 3339 itself would allow `t` and `z`).
 */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** Nanoseconds since the epoch for an RFC 3339 timestamp with an explicit offset, else undefined. */
export function parseTimestamp(value: unknown): bigint | undefined {
  if (typeof value !== 'string') return undefined;
  const m = RFC3339.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, fraction = '', zone] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(Number(y), month)) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return undefined;
  let ms = Date.UTC(Number(y), month - 1, day, Number(h), Number(mi), Number(s));
  if (zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const [zh, zm] = zone.slice(1).split(':').map(Number);
    if (zh > 23 || zm > 59) return undefined;
    ms -= sign * (zh * 60 + zm) * 60_000;
  }
  return BigInt(ms) * 1_000_000n + BigInt(fraction.padEnd(9, '0'));
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** StringMatches: `*` matches any run of characters; `\*` is a literal star and `\\` a literal backslash. */
export function wildcardToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && (pattern[i + 1] === '*' || pattern[i + 1] === '\\')) {
      source += escapeRegExp(pattern[++i]);
    } else if (c === '*') {
      source += '.*';
    } else {
      source += escapeRegExp(c);
    }
  }
  return new RegExp(`^${source}$`, 's');
}

function escapeRegExp(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function invalidChoicePath(stateName: string, path: string): StatesError {
  return new StatesError(
    STATES_RUNTIME,
    `An error occurred while executing the state '${stateName}'. Invalid path '${path}': The choice state's condition path references an invalid value.`,
  );
}
