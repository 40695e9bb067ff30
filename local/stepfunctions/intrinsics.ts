/**
 * Intrinsic functions (`"Key.$": "States.Format('{}', $.x)"`): parsing, checked once when a state
 * machine is created, and evaluation. Argument errors raise States.IntrinsicFailure; a path
 * argument that matches nothing raises States.Runtime, like any other path.
 */
import { createHash, randomUUID } from 'node:crypto';
import { StatesError, STATES_RUNTIME } from './errors';
import { isObject, jsonEquals, parsePath, PathSyntaxError, queryPath, scalarLiteralAt } from './jsonpath';

export const INTRINSIC_FAILURE = 'States.IntrinsicFailure';

export type IntrinsicArg =
  /** `raw` keeps the escape sequences: States.Format must tell `\{` from a placeholder. */
  | { kind: 'string'; value: string; raw: string }
  | { kind: 'literal'; value: number | boolean | null }
  | { kind: 'path'; source: string }
  | { kind: 'call'; call: IntrinsicCall };

export interface IntrinsicCall {
  name: string;
  args: IntrinsicArg[];
}

export class IntrinsicSyntaxError extends Error {
  constructor(source: string, reason: string) {
    super(`Invalid intrinsic function call '${source}': ${reason}`);
    this.name = 'IntrinsicSyntaxError';
  }
}

/** [min, max] argument counts. */
const ARITY: Record<string, [number, number]> = {
  'States.Format': [1, Infinity],
  'States.StringToJson': [1, 1],
  'States.JsonToString': [1, 1],
  'States.Array': [0, Infinity],
  'States.ArrayPartition': [2, 2],
  'States.ArrayContains': [2, 2],
  'States.ArrayRange': [3, 3],
  'States.ArrayGetItem': [2, 2],
  'States.ArrayLength': [1, 1],
  'States.ArrayUnique': [1, 1],
  'States.Base64Encode': [1, 1],
  'States.Base64Decode': [1, 1],
  'States.Hash': [2, 2],
  'States.JsonMerge': [3, 3],
  'States.MathRandom': [2, 3],
  'States.MathAdd': [2, 2],
  'States.StringSplit': [2, 2],
  'States.UUID': [0, 0],
};

const MAX_NESTING = 10;

export function isIntrinsicCall(value: string): boolean {
  return /^States\.[A-Za-z0-9]+\s*\(/.test(value);
}

const parsedCache = new Map<string, IntrinsicCall>();

export function parseIntrinsic(source: string): IntrinsicCall {
  const cached = parsedCache.get(source);
  if (cached) return cached;
  const parser = new IntrinsicParser(source);
  const call = parser.parseCall(1);
  parser.skipSpaces();
  if (!parser.atEnd()) throw new IntrinsicSyntaxError(source, 'unexpected text after the closing parenthesis');
  if (parsedCache.size > 10_000) parsedCache.clear();
  parsedCache.set(source, call);
  return call;
}

/** Evaluates an intrinsic; `$` paths read `input`, `$$` paths read `context`. */
export function evaluateIntrinsic(source: string, input: unknown, context: unknown): unknown {
  return evaluateCall(parseIntrinsic(source), input, context);
}

function evaluateCall(call: IntrinsicCall, input: unknown, context: unknown): unknown {
  const values = call.args.map((arg) => evaluateArg(arg, input, context));
  const fail = (reason: string): never => {
    throw new StatesError(INTRINSIC_FAILURE, `${call.name}: ${reason}`);
  };
  switch (call.name) {
    case 'States.Format':
      return format(call.args[0], values, fail);
    case 'States.StringToJson': {
      const text = expectString(values[0], 'the argument', fail);
      try {
        return JSON.parse(text);
      } catch {
        return fail('the argument is not valid JSON text');
      }
    }
    case 'States.JsonToString':
      return JSON.stringify(values[0]);
    case 'States.Array':
      return values;
    case 'States.ArrayPartition': {
      const array = expectArray(values[0], fail);
      const size = Math.round(expectNumber(values[1], 'the chunk size', fail));
      if (size <= 0) fail('the chunk size must be a positive integer');
      const chunks: unknown[][] = [];
      for (let i = 0; i < array.length; i += size) chunks.push(array.slice(i, i + size));
      return chunks;
    }
    case 'States.ArrayContains':
      return expectArray(values[0], fail).some((item) => jsonEquals(item, values[1]));
    case 'States.ArrayRange': {
      const [start, end, step] = values.map((v, i) => Math.round(expectNumber(v, `argument ${i + 1}`, fail)));
      if (step === 0) fail('the step must not be 0');
      const out: number[] = [];
      for (let v = start; step > 0 ? v <= end : v >= end; v += step) {
        out.push(v);
        if (out.length > 1000) fail('the range has more than 1000 elements');
      }
      return out;
    }
    case 'States.ArrayGetItem': {
      const array = expectArray(values[0], fail);
      const index = expectNumber(values[1], 'the index', fail);
      if (!Number.isInteger(index) || index < 0 || index >= array.length) fail(`index ${index} is out of bounds`);
      return array[index];
    }
    case 'States.ArrayLength':
      return expectArray(values[0], fail).length;
    case 'States.ArrayUnique': {
      const seen = new Set<string>();
      return expectArray(values[0], fail).filter((item) => {
        const key = canonicalJson(item);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    }
    case 'States.Base64Encode': {
      const text = expectString(values[0], 'the argument', fail);
      if (text.length > 10_000) fail('the input is longer than 10000 characters');
      return Buffer.from(text, 'utf8').toString('base64');
    }
    case 'States.Base64Decode': {
      const text = expectString(values[0], 'the argument', fail);
      if (text.length > 10_000) fail('the input is longer than 10000 characters');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1) fail('the argument is not Base64');
      return Buffer.from(text, 'base64').toString('utf8');
    }
    case 'States.Hash': {
      const data = typeof values[0] === 'string' ? values[0] : JSON.stringify(values[0]);
      if (data.length > 10_000) fail('the input is longer than 10000 characters');
      const algorithm = HASH_ALGORITHMS[expectString(values[1], 'the algorithm', fail)];
      if (!algorithm) fail(`the algorithm must be one of ${Object.keys(HASH_ALGORITHMS).join(', ')}`);
      return createHash(algorithm).update(data, 'utf8').digest('hex');
    }
    case 'States.JsonMerge': {
      const [left, right, deep] = values;
      if (!isObject(left) || !isObject(right)) fail('the first two arguments must be JSON objects');
      if (deep !== false) fail('only shallow merging is supported: the third argument must be false');
      return { ...(left as object), ...(right as object) };
    }
    case 'States.MathRandom': {
      const start = Math.round(expectNumber(values[0], 'the start', fail));
      const end = Math.round(expectNumber(values[1], 'the end', fail));
      if (start >= end) fail('the start must be less than the end');
      const random = values.length > 2 ? seededRandom(Math.round(expectNumber(values[2], 'the seed', fail))) : Math.random();
      return start + Math.floor(random * (end - start));
    }
    case 'States.MathAdd': {
      const [a, b] = values.map((v, i) => Math.round(expectNumber(v, `argument ${i + 1}`, fail)));
      for (const v of [a, b]) if (v < -2147483648 || v > 2147483647) fail('arguments must be 32-bit integers');
      return a + b;
    }
    case 'States.StringSplit': {
      const text = expectString(values[0], 'the first argument', fail);
      const delimiters = expectString(values[1], 'the delimiters', fail);
      // Every character of the second argument delimits, and empty pieces are dropped (Java's StringTokenizer).
      if (delimiters === '') return text === '' ? [] : [text];
      const pattern = new RegExp(`[${[...delimiters].map(escapeForCharClass).join('')}]`, 'u');
      return text.split(pattern).filter((piece) => piece !== '');
    }
    case 'States.UUID':
      return randomUUID();
    default:
      return fail('unknown intrinsic function');
  }
}

function evaluateArg(arg: IntrinsicArg, input: unknown, context: unknown): unknown {
  switch (arg.kind) {
    case 'string':
    case 'literal':
      return arg.value;
    case 'call':
      return evaluateCall(arg.call, input, context);
    case 'path': {
      const fromContext = arg.source.startsWith('$$');
      const result = queryPath(fromContext ? arg.source.slice(1) : arg.source, fromContext ? context : input);
      if (!result.found) throw new StatesError(STATES_RUNTIME, `The JsonPath argument '${arg.source}' of an intrinsic function could not be found in the input`);
      return result.value;
    }
  }
}

function format(templateArg: IntrinsicArg, values: unknown[], fail: (reason: string) => never): string {
  const template = templateArg.kind === 'string' ? templateArg.raw : values[0];
  if (typeof template !== 'string') return fail('the first argument must be a string');
  const args = values.slice(1);
  let out = '';
  let used = 0;
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c === '\\' && i + 1 < template.length && "'{}\\".includes(template[i + 1])) {
      out += template[++i];
    } else if (c === '{' && template[i + 1] === '}') {
      if (used >= args.length) fail('there are more {} placeholders than arguments');
      out += formatValue(args[used++], fail);
      i++;
    } else {
      out += c;
    }
  }
  if (used !== args.length) fail('there are more arguments than {} placeholders');
  return out;
}

function formatValue(value: unknown, fail: (reason: string) => never): string {
  if (typeof value === 'string') return value;
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  return fail('arguments to interpolate must be strings, numbers, booleans or null');
}

const HASH_ALGORITHMS: Record<string, string> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

function expectArray(value: unknown, fail: (reason: string) => never): unknown[] {
  return Array.isArray(value) ? value : fail('the first argument must be an array');
}

function expectNumber(value: unknown, what: string, fail: (reason: string) => never): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fail(`${what} must be a number`);
}

function expectString(value: unknown, what: string, fail: (reason: string) => never): string {
  return typeof value === 'string' ? value : fail(`${what} must be a string`);
}

function escapeForCharClass(c: string): string {
  return /[\]\\^-]/.test(c) ? `\\${c}` : c;
}

/** Same seed, same number (mulberry32). */
function seededRandom(seed: number): number {
  let t = (seed + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

class IntrinsicParser {
  private i = 0;
  constructor(private readonly src: string) {}

  atEnd(): boolean {
    return this.i >= this.src.length;
  }

  skipSpaces(): void {
    while (!this.atEnd() && /\s/.test(this.src[this.i])) this.i++;
  }

  parseCall(depth: number): IntrinsicCall {
    if (depth > MAX_NESTING) throw this.error(`more than ${MAX_NESTING} nested intrinsic functions`);
    this.skipSpaces();
    const match = /^States\.[A-Za-z0-9]+/.exec(this.src.slice(this.i));
    if (!match) throw this.error('expected States.<Function>(');
    const name = match[0];
    const arity = ARITY[name];
    if (!arity) throw this.error(`unknown intrinsic function ${name}`);
    this.i += name.length;
    this.skipSpaces();
    this.expect('(');
    const args: IntrinsicArg[] = [];
    this.skipSpaces();
    if (this.src[this.i] === ')') {
      this.i++;
    } else {
      for (;;) {
        args.push(this.parseArg(depth));
        this.skipSpaces();
        if (this.src[this.i] === ',') {
          this.i++;
          continue;
        }
        this.expect(')');
        break;
      }
    }
    if (args.length < arity[0] || args.length > arity[1]) {
      throw this.error(`${name} takes ${arity[0] === arity[1] ? arity[0] : `${arity[0]} or more`} argument(s), got ${args.length}`);
    }
    return { name, args };
  }

  private parseArg(depth: number): IntrinsicArg {
    this.skipSpaces();
    const rest = this.src.slice(this.i);
    if (rest.startsWith("'")) return this.parseString();
    if (rest.startsWith('States.')) return { kind: 'call', call: this.parseCall(depth + 1) };
    if (rest.startsWith('$')) return { kind: 'path', source: this.parsePathArg() };
    const scalar = scalarLiteralAt(rest);
    if (scalar) {
      this.i += scalar.length;
      return { kind: 'literal', value: scalar.value };
    }
    throw this.error('expected an argument');
  }

  private parseString(): IntrinsicArg {
    const start = ++this.i;
    let value = '';
    while (!this.atEnd()) {
      const c = this.src[this.i];
      if (c === "'") {
        const raw = this.src.slice(start, this.i++);
        return { kind: 'string', value, raw };
      }
      if (c === '\\') {
        const next = this.src[this.i + 1];
        if (next === undefined || !"'{}\\".includes(next)) throw this.error('a backslash must escape one of \' { } \\');
        value += next;
        this.i += 2;
        continue;
      }
      value += c;
      this.i++;
    }
    throw this.error('unterminated string');
  }

  /** A path runs to the next top-level ',' or ')'; brackets and quotes inside it are skipped over. */
  private parsePathArg(): string {
    const start = this.i;
    let depth = 0;
    let quote: string | undefined;
    for (; !this.atEnd(); this.i++) {
      const c = this.src[this.i];
      if (quote) {
        if (c === '\\') this.i++;
        else if (c === quote) quote = undefined;
      } else if (c === "'" || c === '"') quote = c;
      else if (c === '[' || c === '(') depth++;
      else if ((c === ']' || c === ')') && depth > 0) depth--;
      else if ((c === ',' || c === ')') && depth === 0) break;
    }
    const source = this.src.slice(start, this.i).trim();
    const pathPart = source.startsWith('$$') ? source.slice(1) : source;
    try {
      parsePath(pathPart);
    } catch (error) {
      throw this.error(error instanceof PathSyntaxError ? error.message : `invalid path '${source}'`);
    }
    return source;
  }

  private expect(c: string): void {
    if (this.src[this.i] !== c) throw this.error(`expected '${c}'`);
    this.i++;
  }

  private error(reason: string): IntrinsicSyntaxError {
    return new IntrinsicSyntaxError(this.src, `${reason} (at position ${this.i})`);
  }
}
