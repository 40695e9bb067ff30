/*
 * SNS subscription filter policies on message attributes, as AWS evaluates them
 * (docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html): every key of the
 * policy must match (AND), any condition in a key's list may (OR), and `$or` joins whole policies.
 * Conditions: an exact string or number, `prefix`, `suffix`, `equals-ignore-case`,
 * `anything-but` (values, or a prefix), `numeric` ranges and `exists`. An attribute of type
 * String.Array matches when any of its values does. No maintained npm package evaluates these
 * (the registry has none by that purpose), so this is the project's own, with unit tests.
 */
export type Condition =
  | string
  | number
  | { prefix: string }
  | { suffix: string }
  | { 'equals-ignore-case': string }
  | { 'anything-but': string | number | ReadonlyArray<string | number> | { prefix: string } }
  | { numeric: ReadonlyArray<string | number> }
  | { exists: boolean };

export interface FilterPolicy {
  readonly [attribute: string]: readonly Condition[] | readonly FilterPolicy[] | undefined;
  readonly $or?: readonly FilterPolicy[];
}

export interface MessageAttribute {
  readonly DataType: string;
  readonly StringValue?: string;
}

class FilterPolicyError extends Error {
  override readonly name = 'FilterPolicyError';
}

/** The attribute's values as the policy compares them: numbers for Number, each element of a String.Array. */
function valuesOf(attribute: MessageAttribute): Array<string | number> {
  const text = attribute.StringValue ?? '';
  if (attribute.DataType.startsWith('Number')) {
    const n = Number(text);
    return Number.isFinite(n) ? [n] : [];
  }
  if (attribute.DataType === 'String.Array') {
    try {
      const parsed = JSON.parse(text) as unknown;
      return Array.isArray(parsed) ? parsed.filter((v): v is string | number => typeof v === 'string' || typeof v === 'number') : [];
    } catch {
      return [];
    }
  }
  return [text];
}

const OPERATORS: Record<string, (a: number, b: number) => boolean> = {
  '=': (a, b) => a === b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
};

function numericMatches(range: ReadonlyArray<string | number>, value: number): boolean {
  if (range.length === 0 || range.length % 2 !== 0) throw new FilterPolicyError(`numeric needs operator/value pairs, got ${JSON.stringify(range)}`);
  for (let i = 0; i < range.length; i += 2) {
    const op = OPERATORS[String(range[i])];
    const bound = range[i + 1];
    if (!op || typeof bound !== 'number') throw new FilterPolicyError(`numeric: unknown operator or bound in ${JSON.stringify(range)}`);
    if (!op(value, bound)) return false;
  }
  return true;
}

function valueMatches(condition: Exclude<Condition, { exists: boolean }>, value: string | number): boolean {
  if (typeof condition === 'string') return value === condition;
  if (typeof condition === 'number') return value === condition;
  if ('prefix' in condition) return typeof value === 'string' && value.startsWith(condition.prefix);
  if ('suffix' in condition) return typeof value === 'string' && value.endsWith(condition.suffix);
  if ('equals-ignore-case' in condition) return typeof value === 'string' && value.toLowerCase() === condition['equals-ignore-case'].toLowerCase();
  if ('numeric' in condition) return typeof value === 'number' && numericMatches(condition.numeric, value);
  if ('anything-but' in condition) {
    const but = condition['anything-but'];
    if (typeof but === 'object' && !Array.isArray(but)) return !(typeof value === 'string' && value.startsWith((but as { prefix: string }).prefix));
    const list = Array.isArray(but) ? but : [but];
    return !list.includes(value);
  }
  throw new FilterPolicyError(`unknown condition ${JSON.stringify(condition)}`);
}

function conditionMatches(condition: Condition, attribute: MessageAttribute | undefined): boolean {
  if (typeof condition === 'object' && condition !== null && 'exists' in condition) return condition.exists === (attribute !== undefined);
  if (attribute === undefined) return false;
  return valuesOf(attribute).some((value) => valueMatches(condition, value));
}

/** Whether a message with these attributes passes the policy; no policy passes everything. */
export function matchesFilterPolicy(policy: FilterPolicy | undefined, attributes: Readonly<Record<string, MessageAttribute>>): boolean {
  if (!policy) return true;
  for (const [key, conditions] of Object.entries(policy)) {
    if (conditions === undefined) continue;
    if (key === '$or') {
      if (!(conditions as readonly FilterPolicy[]).some((alternative) => matchesFilterPolicy(alternative, attributes))) return false;
      continue;
    }
    if (!Array.isArray(conditions)) throw new FilterPolicyError(`the conditions of ${key} must be a list`);
    if (!(conditions as readonly Condition[]).some((condition) => conditionMatches(condition, attributes[key]))) return false;
  }
  return true;
}
