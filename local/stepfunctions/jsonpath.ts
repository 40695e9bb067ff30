/**
 * JSONPath as the States Language uses it (AWS evaluates paths with Jayway JsonPath): dot and bracket
 * children, wildcards, recursive descent, indexes (negative too), unions, slices, filters
 * `[?(@.x > 1 && @.y == 'a')]`, `[(@.length-1)]` and a trailing `.length()`.
 *
 * A *definite* path (only single names and indexes) yields one value or "not found"; any other path
 * yields the array of everything it matched (possibly empty), as Jayway does.
 * Reference paths (ResultPath) are the definite subset and can also be written to.
 */

export class PathSyntaxError extends Error {
  constructor(path: string, reason: string) {
    super(`Invalid JSONPath '${path}': ${reason}`);
    this.name = 'PathSyntaxError';
  }
}

export type Selector =
  | { kind: 'name'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' }
  | { kind: 'slice'; start?: number; end?: number; step?: number }
  | { kind: 'filter'; expr: FilterExpr }
  /** `[(@.length-n)]`: the n-th element from the end. */
  | { kind: 'fromEnd'; offset: number };

export interface PathSegment {
  descendant: boolean;
  selectors: Selector[];
}

export interface ParsedPath {
  source: string;
  segments: PathSegment[];
  definite: boolean;
  /** The path ends in `.length()`. */
  lengthFunction: boolean;
}

type Operand =
  | { kind: 'path'; fromRoot: boolean; segments: PathSegment[]; lengthFunction: boolean }
  | { kind: 'literal'; value: unknown }
  | { kind: 'regex'; regex: RegExp };

export type FilterExpr =
  | { op: 'or' | 'and'; left: FilterExpr; right: FilterExpr }
  | { op: 'not'; expr: FilterExpr }
  | { op: 'exists'; operand: Operand }
  | { op: 'compare'; comparator: Comparator; left: Operand; right: Operand };

type Comparator = '==' | '!=' | '<' | '<=' | '>' | '>=' | '=~';
const COMPARATORS: Comparator[] = ['==', '!=', '<=', '>=', '=~', '<', '>'];

const parsedCache = new Map<string, ParsedPath>();
const CACHE_LIMIT = 10_000;

export function parsePath(source: string): ParsedPath {
  const cached = parsedCache.get(source);
  if (cached) return cached;
  if (typeof source !== 'string' || !source.startsWith('$')) throw new PathSyntaxError(String(source), "a path starts with '$'");
  const parser = new PathParser(source, 1);
  const { segments, lengthFunction } = parser.parseSegments(false);
  if (!parser.atEnd()) throw new PathSyntaxError(source, `unexpected '${source.slice(parser.position())}'`);
  const definite = !lengthFunction && segments.every((s) => !s.descendant && s.selectors.length === 1 && isSingle(s.selectors[0]));
  const parsed: ParsedPath = { source, segments, definite, lengthFunction };
  if (parsedCache.size >= CACHE_LIMIT) parsedCache.clear();
  parsedCache.set(source, parsed);
  return parsed;
}

export function isValidPath(source: string): boolean {
  try {
    parsePath(source);
    return true;
  } catch {
    return false;
  }
}

export interface PathResult {
  found: boolean;
  value: unknown;
}

/** Evaluates a path (starting with `$`) against `data`. */
export function queryPath(source: string, data: unknown): PathResult {
  const parsed = parsePath(source);
  return finish(parsed.definite, parsed.lengthFunction, select(parsed.segments, [data], data));
}

/** Keys from the root for a reference path; throws PathSyntaxError for anything that is not a reference path. */
export function parseReferencePath(source: string): Array<string | number> {
  const parsed = parsePath(source);
  const keys: Array<string | number> = [];
  for (const segment of parsed.segments) {
    const selector = segment.selectors[0];
    if (segment.descendant || segment.selectors.length !== 1 || (selector.kind !== 'name' && selector.kind !== 'index')) {
      throw new PathSyntaxError(source, 'a reference path may only name single fields or indexes');
    }
    keys.push(selector.kind === 'name' ? selector.name : selector.index);
  }
  if (parsed.lengthFunction) throw new PathSyntaxError(source, 'a reference path cannot call functions');
  return keys;
}

export class ReferencePathConflict extends Error {}

/**
 * Returns a copy of `target` with `value` placed at the reference path, creating missing objects on
 * the way. Throws ReferencePathConflict where the path runs through something that is not an object
 * (or an array, for an index in range).
 */
export function setAtReferencePath(target: unknown, source: string, value: unknown): unknown {
  const keys = parseReferencePath(source);
  if (keys.length === 0) return value;
  const root = structuredClone(target);
  let node: unknown = root;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const last = i === keys.length - 1;
    if (typeof key === 'number') {
      if (!Array.isArray(node)) throw new ReferencePathConflict(`cannot index ${describe(node)} with [${key}]`);
      const index = key < 0 ? node.length + key : key;
      if (index < 0 || index >= node.length) throw new ReferencePathConflict(`index [${key}] is out of bounds`);
      if (last) node[index] = value;
      else node = node[index];
      continue;
    }
    if (!isObject(node)) throw new ReferencePathConflict(`cannot set field '${key}' on ${describe(node)}`);
    if (last) {
      node[key] = value;
    } else {
      if (!(key in node) || node[key] === null) node[key] = {};
      node = node[key];
    }
  }
  return root;
}

// ---------------------------------------------------------------------------------------------
// Evaluation

function finish(definite: boolean, lengthFunction: boolean, nodes: unknown[]): PathResult {
  if (lengthFunction) {
    if (nodes.length !== 1) return { found: true, value: nodes.length };
    const node = nodes[0];
    if (Array.isArray(node) || typeof node === 'string') return { found: true, value: node.length };
    if (isObject(node)) return { found: true, value: Object.keys(node).length };
    return { found: false, value: undefined };
  }
  if (definite) return nodes.length === 1 ? { found: true, value: nodes[0] } : { found: false, value: undefined };
  return { found: true, value: nodes };
}

function select(segments: PathSegment[], start: unknown[], root: unknown): unknown[] {
  let nodes = start;
  for (const segment of segments) {
    const next: unknown[] = [];
    for (const node of nodes) {
      const candidates = segment.descendant ? selfAndDescendants(node) : [node];
      for (const candidate of candidates) {
        for (const selector of segment.selectors) applySelector(selector, candidate, root, next);
      }
    }
    nodes = next;
  }
  return nodes;
}

function applySelector(selector: Selector, node: unknown, root: unknown, out: unknown[]): void {
  switch (selector.kind) {
    case 'name':
      if (isObject(node) && Object.hasOwn(node, selector.name)) out.push(node[selector.name]);
      return;
    case 'index':
      if (Array.isArray(node)) {
        const index = selector.index < 0 ? node.length + selector.index : selector.index;
        if (index >= 0 && index < node.length) out.push(node[index]);
      }
      return;
    case 'fromEnd':
      if (Array.isArray(node)) {
        const index = node.length - selector.offset;
        if (index >= 0 && index < node.length) out.push(node[index]);
      }
      return;
    case 'wildcard':
      if (Array.isArray(node)) out.push(...node);
      else if (isObject(node)) out.push(...Object.values(node));
      return;
    case 'slice':
      if (Array.isArray(node)) out.push(...slice(node, selector));
      return;
    case 'filter': {
      const members = Array.isArray(node) ? node : isObject(node) ? Object.values(node) : [];
      for (const member of members) if (testFilter(selector.expr, member, root)) out.push(member);
      return;
    }
  }
}

function slice(array: unknown[], { start, end, step }: { start?: number; end?: number; step?: number }): unknown[] {
  // Python slice semantics, as Jayway implements them.
  const len = array.length;
  const by = step ?? 1;
  const result: unknown[] = [];
  if (by > 0) {
    const from = start === undefined ? 0 : start < 0 ? Math.max(0, len + start) : Math.min(start, len);
    const to = end === undefined ? len : end < 0 ? Math.max(0, len + end) : Math.min(end, len);
    for (let i = from; i < to; i += by) result.push(array[i]);
  } else if (by < 0) {
    const from = start === undefined ? len - 1 : start < 0 ? Math.max(-1, len + start) : Math.min(start, len - 1);
    const to = end === undefined ? -1 : end < 0 ? Math.max(-1, len + end) : Math.min(end, len - 1);
    for (let i = from; i > to; i += by) result.push(array[i]);
  }
  return result;
}

function selfAndDescendants(node: unknown): unknown[] {
  const out: unknown[] = [];
  const visit = (value: unknown) => {
    out.push(value);
    if (Array.isArray(value)) value.forEach(visit);
    else if (isObject(value)) Object.values(value).forEach(visit);
  };
  visit(node);
  return out;
}

function testFilter(expr: FilterExpr, current: unknown, root: unknown): boolean {
  switch (expr.op) {
    case 'or':
      return testFilter(expr.left, current, root) || testFilter(expr.right, current, root);
    case 'and':
      return testFilter(expr.left, current, root) && testFilter(expr.right, current, root);
    case 'not':
      return !testFilter(expr.expr, current, root);
    case 'exists':
      return operandValue(expr.operand, current, root).found;
    case 'compare':
      return compare(expr.comparator, operandValue(expr.left, current, root), operandValue(expr.right, current, root));
  }
}

function operandValue(operand: Operand, current: unknown, root: unknown): PathResult {
  if (operand.kind === 'literal') return { found: true, value: operand.value };
  if (operand.kind === 'regex') return { found: true, value: operand.regex };
  const definite = operand.segments.every((s) => !s.descendant && s.selectors.length === 1 && isSingle(s.selectors[0]));
  return finish(definite, operand.lengthFunction, select(operand.segments, [operand.fromRoot ? root : current], root));
}

function compare(comparator: Comparator, left: PathResult, right: PathResult): boolean {
  if (comparator === '!=') return !(left.found && right.found && jsonEquals(left.value, right.value));
  if (!left.found || !right.found) return false;
  const a = left.value;
  const b = right.value;
  switch (comparator) {
    case '==':
      return jsonEquals(a, b);
    case '=~':
      return typeof a === 'string' && b instanceof RegExp && b.test(a);
    default: {
      if (!((typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string'))) return false;
      if (comparator === '<') return a < b;
      if (comparator === '<=') return a <= b;
      if (comparator === '>') return a > b;
      return a >= b;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Parsing

class PathParser {
  constructor(
    private readonly src: string,
    private i: number,
  ) {}

  atEnd(): boolean {
    return this.i >= this.src.length;
  }

  position(): number {
    return this.i;
  }

  /** Segments until the end (top level) or until something that cannot continue a path (inside a filter). */
  parseSegments(inFilter: boolean): { segments: PathSegment[]; lengthFunction: boolean } {
    const segments: PathSegment[] = [];
    while (!this.atEnd()) {
      const c = this.src[this.i];
      if (c === '.') {
        if (this.src[this.i + 1] === '.') {
          this.i += 2;
          segments.push({ descendant: true, selectors: this.parseAfterDot(inFilter) });
          continue;
        }
        this.i++;
        // `$.abc.['def ghi']`: a bracket may follow the dot.
        if (this.src[this.i] === '[') continue;
        if (this.src.startsWith('length()', this.i) && this.isFunctionEnd(this.i + 'length()'.length, inFilter)) {
          this.i += 'length()'.length;
          return { segments, lengthFunction: true };
        }
        segments.push({ descendant: false, selectors: this.parseAfterDot(inFilter) });
      } else if (c === '[') {
        segments.push({ descendant: false, selectors: this.parseBracket() });
      } else if (inFilter) {
        break;
      } else {
        throw this.error(`unexpected '${c}'`);
      }
    }
    return { segments, lengthFunction: false };
  }

  private isFunctionEnd(at: number, inFilter: boolean): boolean {
    if (at >= this.src.length) return true;
    return inFilter && !/[.[]/.test(this.src[at]);
  }

  private parseAfterDot(inFilter: boolean): Selector[] {
    if (this.src[this.i] === '*') {
      this.i++;
      return [{ kind: 'wildcard' }];
    }
    if (this.src[this.i] === '[') return this.parseBracket();
    const stop = inFilter ? /[.[\]()\s=!<>&|,~]/ : /[.[\]()]/;
    const start = this.i;
    while (!this.atEnd() && !stop.test(this.src[this.i])) this.i++;
    if (this.i === start) throw this.error('expected a field name');
    return [{ kind: 'name', name: this.src.slice(start, this.i) }];
  }

  private parseBracket(): Selector[] {
    this.i++; // [
    this.skipSpaces();
    const c = this.src[this.i];
    let selectors: Selector[];
    if (c === '*') {
      this.i++;
      selectors = [{ kind: 'wildcard' }];
    } else if (c === '?') {
      this.i++;
      this.skipSpaces();
      this.expect('(');
      const expr = this.parseOr();
      this.skipSpaces();
      this.expect(')');
      selectors = [{ kind: 'filter', expr }];
    } else if (c === '(') {
      const match = /^\(\s*@\.length\s*-\s*(\d+)\s*\)/.exec(this.src.slice(this.i));
      if (!match) throw this.error('only the script expression (@.length-n) is supported');
      this.i += match[0].length;
      selectors = [{ kind: 'fromEnd', offset: Number(match[1]) }];
    } else if (c === "'" || c === '"') {
      selectors = [{ kind: 'name', name: this.parseString() }];
      for (this.skipSpaces(); this.src[this.i] === ','; this.skipSpaces()) {
        this.i++;
        this.skipSpaces();
        selectors.push({ kind: 'name', name: this.parseString() });
      }
    } else {
      const end = this.src.indexOf(']', this.i);
      if (end < 0) throw this.error("missing ']'");
      selectors = parseIndexes(this.src.slice(this.i, end), (reason) => this.error(reason));
      this.i = end;
    }
    this.skipSpaces();
    this.expect(']');
    return selectors;
  }

  private parseOr(): FilterExpr {
    let left = this.parseAnd();
    for (this.skipSpaces(); this.src.startsWith('||', this.i); this.skipSpaces()) {
      this.i += 2;
      left = { op: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): FilterExpr {
    let left = this.parseUnary();
    for (this.skipSpaces(); this.src.startsWith('&&', this.i); this.skipSpaces()) {
      this.i += 2;
      left = { op: 'and', left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): FilterExpr {
    this.skipSpaces();
    if (this.src[this.i] === '!' && this.src[this.i + 1] !== '=') {
      this.i++;
      return { op: 'not', expr: this.parseUnary() };
    }
    if (this.src[this.i] === '(') {
      this.i++;
      const inner = this.parseOr();
      this.skipSpaces();
      this.expect(')');
      return inner;
    }
    const left = this.parseOperand();
    this.skipSpaces();
    const comparator = COMPARATORS.find((op) => this.src.startsWith(op, this.i));
    if (!comparator) return { op: 'exists', operand: left };
    this.i += comparator.length;
    return { op: 'compare', comparator, left, right: this.parseOperand() };
  }

  private parseOperand(): Operand {
    this.skipSpaces();
    const c = this.src[this.i];
    if (c === '@' || c === '$') {
      this.i++;
      const { segments, lengthFunction } = this.parseSegments(true);
      return { kind: 'path', fromRoot: c === '$', segments, lengthFunction };
    }
    if (c === "'" || c === '"') return { kind: 'literal', value: this.parseString() };
    if (c === '/') {
      const match = /^\/((?:\\.|[^/\\])*)\/([a-z]*)/.exec(this.src.slice(this.i));
      if (!match) throw this.error('bad regular expression');
      this.i += match[0].length;
      return { kind: 'regex', regex: new RegExp(match[1], match[2]) };
    }
    const scalar = scalarLiteralAt(this.src.slice(this.i));
    if (scalar) {
      this.i += scalar.length;
      return { kind: 'literal', value: scalar.value };
    }
    throw this.error('expected a value in the filter');
  }

  private parseString(): string {
    const quote = this.src[this.i];
    let out = '';
    for (this.i++; !this.atEnd(); this.i++) {
      const c = this.src[this.i];
      if (c === quote) {
        this.i++;
        return out;
      }
      if (c === '\\') {
        const n = this.src[++this.i];
        if (n === 'u') {
          out += String.fromCharCode(parseInt(this.src.slice(this.i + 1, this.i + 5), 16));
          this.i += 4;
        } else {
          out += ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' } as Record<string, string>)[n] ?? n;
        }
        continue;
      }
      out += c;
    }
    throw this.error('unterminated string');
  }

  private skipSpaces(): void {
    while (!this.atEnd() && /\s/.test(this.src[this.i])) this.i++;
  }

  private expect(c: string): void {
    if (this.src[this.i] !== c) throw this.error(`expected '${c}'`);
    this.i++;
  }

  private error(reason: string): PathSyntaxError {
    return new PathSyntaxError(this.src, `${reason} at position ${this.i}`);
  }
}

function parseIndexes(text: string, error: (reason: string) => Error): Selector[] {
  const body = text.trim();
  if (body.includes(':')) {
    const parts = body.split(':').map((p) => p.trim());
    if (parts.length > 3) throw error('bad slice');
    const [start, end, step] = parts.map((p) => {
      if (p === '') return undefined;
      if (!/^-?\d+$/.test(p)) throw error(`bad slice bound '${p}'`);
      return Number(p);
    });
    return [{ kind: 'slice', start, end, step }];
  }
  return body.split(',').map((p) => {
    const part = p.trim();
    if (!/^-?\d+$/.test(part)) throw error(`bad index '${part}'`);
    return { kind: 'index', index: Number(part) };
  });
}

function isSingle(selector: Selector): boolean {
  return selector.kind === 'name' || selector.kind === 'index' || selector.kind === 'fromEnd';
}

// ---------------------------------------------------------------------------------------------
// JSON helpers shared by the interpreter

/** A JSON number, true, false or null at the start of `text`, and how many characters it takes. */
export function scalarLiteralAt(text: string): { length: number; value: number | boolean | null } | undefined {
  const number = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text);
  if (number) return { length: number[0].length, value: Number(number[0]) };
  for (const [word, value] of [
    ['true', true],
    ['false', false],
    ['null', null],
  ] as const) {
    if (text.startsWith(word)) return { length: word.length, value };
  }
  return undefined;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function jsonEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEquals(v, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && jsonEquals(a[k], b[k]));
  }
  return false;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
