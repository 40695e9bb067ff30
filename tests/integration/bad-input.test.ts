import { request } from 'node:http';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { ROUTES, type RouteDefinition } from '../../functions/api/routes';
import { buildOpenApiDocument } from '../../functions/api/openapi-document';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, loadOrCreateKeys, signToken, type LocalKeys } from '../../local/jwt';
import { startTestStack, type TestStack } from '../support/local-stack';

/*
 * Generated bad input against every route in ROUTES, through HTTP, on the local stack: bad
 * bodies, malformed JSON, wrong content types, oversized bodies, bad path parameters, bad
 * query parameters, bad Idempotency-Key headers, bad tokens and callers who may not call.
 *
 * Every answer must be a 4xx (never a 5xx) and a problem document (application/problem+json
 * with type, title, status and detail; a 400 names each field at fault in `errors`), and the
 * store must not change: the whole table, every Step Functions execution and its history, the
 * local alerts and the clock's timers are compared before and after each request.
 *
 * The routes, their parameters and their body schemas are read from ROUTES and the OpenAPI
 * document generated from the handlers' own zod schemas, so a new route is covered as soon as
 * it is declared; the table below only adds who may call a route and an example of a valid body.
 */

/* ---------- who is who ---------- */

const COMMUNITY = 'community-xiling-shengli-silu';
const OTHER_COMMUNITY = 'community-xiling-wuguibei';
const STREET = 'street-xiling-xiling'; // Shengli Silu's street office: routine cases go there
const OTHER_AGENCY = 'city-dept-housing';
const CENTRE = 'supervision-centre';

interface CallerRef {
  readonly unit: string;
  readonly role: string;
}
const community: CallerRef = { unit: COMMUNITY, role: 'community' };
const otherCommunity: CallerRef = { unit: OTHER_COMMUNITY, role: 'community' };
const street: CallerRef = { unit: STREET, role: 'agency' };
const otherAgency: CallerRef = { unit: OTHER_AGENCY, role: 'agency' };
const supervisor: CallerRef = { unit: CENTRE, role: 'supervisor' };
const auditor: CallerRef = { unit: CENTRE, role: 'auditor' };
const operator: CallerRef = { unit: CENTRE, role: 'operator' };
const districtOffice: CallerRef = { unit: 'district-office-xiling', role: 'district-office' };

/**
 * Per handler: a caller allowed to call the route, callers it must refuse (403) on case A with a
 * valid body, an example valid body and query, and whether it honours Idempotency-Key.
 * A route not listed is called as the supervisor with bodies derived from its schema.
 */
interface RouteCallers {
  readonly allowed: CallerRef;
  readonly forbidden?: readonly CallerRef[];
  readonly body?: unknown;
  readonly query?: Record<string, string>;
  readonly idempotencyKey?: boolean;
}
const ASSIGNED_UNIT_ONLY = [community, otherAgency, supervisor, auditor, operator];
const CALLERS: Record<string, RouteCallers> = {
  'create-case': {
    allowed: community,
    forbidden: [street, auditor, operator, districtOffice],
    body: { title: '楼道堆放杂物', description: '3 号楼楼道堆放杂物，影响消防通道。', category: 'routine', reportedVia: 'patrol', complainant: { name: '张明', phone: '13800138000' } },
    idempotencyKey: true,
  },
  'list-cases': { allowed: supervisor },
  'get-case': { allowed: supervisor, forbidden: [otherAgency, otherCommunity] },
  'sign-off-case': { allowed: street, forbidden: ASSIGNED_UNIT_ONLY, body: { handler: { name: '李娟', phone: '13900001111' }, note: '已签收' } },
  'add-progress': { allowed: street, forbidden: ASSIGNED_UNIT_ONLY, body: { note: '已联系物业' } },
  'resolve-case': { allowed: street, forbidden: ASSIGNED_UNIT_ONLY, body: { summary: '已清理', outcome: '楼道已畅通' } },
  'escalate-case': { allowed: street, forbidden: ASSIGNED_UNIT_ONLY, body: { reason: '需要区里协调' } },
  'return-case': { allowed: street, forbidden: ASSIGNED_UNIT_ONLY, body: { reason: '不属本单位职责' } },
  'evaluate-case': { allowed: community, forbidden: [street, otherCommunity, supervisor, auditor], body: { rating: 'satisfied', comment: '满意' } },
  'request-extension': { allowed: street, forbidden: ASSIGNED_UNIT_ONLY, body: { workingDays: 2.5, reason: '需要协调' } },
  'supervise-case': { allowed: supervisor, forbidden: [community, street, auditor, operator], body: { action: 'urge', note: '请尽快办理' } },
  'get-execution': { allowed: supervisor, forbidden: [community, street, auditor] },
  'get-report': { allowed: supervisor, forbidden: [community, street, operator] },
  'list-reports': { allowed: auditor, forbidden: [community, street, operator], query: { from: '2026-01', to: '2026-03' } },
};

/* ---------- the routes as the OpenAPI document describes them ---------- */

interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
  enum?: unknown[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  multipleOf?: number;
  items?: JsonSchema;
  minItems?: number;
  $ref?: string;
}

const OPENAPI = buildOpenApiDocument() as {
  paths: Record<string, Record<string, { parameters: { name: string; in: string; required: boolean; schema: JsonSchema }[]; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>>;
  components: { schemas: Record<string, JsonSchema> };
};

const resolveSchema = (schema: JsonSchema): JsonSchema =>
  schema.$ref ? resolveSchema(OPENAPI.components.schemas[schema.$ref.replace('#/components/schemas/', '')]) : schema;

interface RouteModel {
  readonly route: RouteDefinition;
  readonly name: string;
  readonly pathParams: readonly string[];
  readonly paramSchemas: Record<string, JsonSchema>;
  readonly query: readonly { name: string; required: boolean; schema: JsonSchema }[];
  readonly body?: JsonSchema;
  readonly callers: RouteCallers;
}

const MODELS: RouteModel[] = ROUTES.map((route) => {
  const operation = OPENAPI.paths[route.path]?.[route.method.toLowerCase()];
  const parameters = operation?.parameters ?? [];
  const bodySchema = operation?.requestBody?.content['application/json']?.schema;
  return {
    route,
    name: `${route.method} ${route.path}`,
    pathParams: [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]),
    paramSchemas: Object.fromEntries(parameters.filter((p) => p.in === 'path').map((p) => [p.name, p.schema])),
    query: parameters.filter((p) => p.in === 'query'),
    ...(bodySchema ? { body: resolveSchema(bodySchema) } : {}),
    callers: CALLERS[route.handler] ?? { allowed: supervisor },
  };
});

/** A value the schema accepts, for routes the table does not describe (required properties only). */
function exampleOf(schema: JsonSchema): unknown {
  const s = resolveSchema(schema);
  if (s.enum) return s.enum[0];
  switch (s.type) {
    case 'object':
      return Object.fromEntries((s.required ?? []).map((name) => [name, exampleOf(s.properties![name])]));
    case 'number':
    case 'integer': {
      const step = s.multipleOf ?? 1;
      return Math.ceil((s.minimum ?? 1) / step) * step;
    }
    case 'boolean':
      return true;
    case 'array':
      return Array.from({ length: Math.max(1, s.minItems ?? 1) }, () => (s.items ? exampleOf(s.items) : null));
    case 'string':
      return s.pattern ? fc.sample(fc.stringMatching(new RegExp(s.pattern)), { numRuns: 1, seed: 1 })[0] : 'x'.repeat(Math.max(1, s.minLength ?? 1));
    default:
      return null;
  }
}

const validBodyOf = (model: RouteModel): unknown => model.callers.body ?? (model.body ? exampleOf(model.body) : undefined);

function validQueryOf(model: RouteModel): Record<string, string> {
  const query: Record<string, string> = { ...(model.callers.query ?? {}) };
  for (const param of model.query) {
    if (param.required && query[param.name] === undefined) query[param.name] = String(exampleOf(param.schema));
  }
  return query;
}

/* ---------- the stack, its store, and HTTP ---------- */

let t: TestStack;
let tableName: string;
let ddb: DynamoDBClient;
let keys: LocalKeys;
const tokens = new Map<string, string>();
const tokenOf = (caller: CallerRef): string => tokens.get(`${caller.role}@${caller.unit}`)!;
/** Case A: routed to the street office, awaiting sign-off. Case B: kept by the community, in progress. */
let caseA: string;
let caseB: string;
let realCursor: string;
/** Tokens that must not get anyone in: signed with other keys, expired, with claims that do not fit… */
let badTokens: { label: string; header: string }[] = [];

interface HttpRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string | string[]>;
  readonly body?: string | Buffer;
}
interface HttpResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
}

/** A raw HTTP request: the path, headers and bytes go out exactly as given (fetch would normalize them). */
function send(req: HttpRequest): Promise<HttpResponse> {
  const url = new URL(t.url);
  const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: url.hostname,
        port: url.port,
        method: req.method,
        path: req.path,
        agent: false,
        headers: { ...req.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error('timed out')));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** JSON with every object's keys in order, so equal items always print the same. */
const stableJson = (value: unknown): string =>
  Array.isArray(value)
    ? `[${value.map(stableJson).join(',')}]`
    : value !== null && typeof value === 'object'
      ? `{${Object.keys(value)
          .sort()
          .map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key])}`)
          .join(',')}}`
      : JSON.stringify(value);

/** Everything a request could change: the table, every execution and its history, alerts, timers. */
async function snapshot() {
  const items: Record<string, AttributeValue>[] = [];
  let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await ddb.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  const keyOf = (item: Record<string, AttributeValue>) => `${item.pk?.S}|${item.sk?.S}`;
  // A public route's per-client look-up counters count refused look-ups too (that is their point); they hold no case data.
  const table = Object.fromEntries(items.filter((item) => !item.pk?.S?.startsWith('BUDGET#')).map((item) => [keyOf(item), stableJson(item)]));

  const sfn = t.stack.stepFunctions;
  const executions: Record<string, string> = {};
  for (const machine of sfn.listStateMachines({ maxResults: 1000 }).stateMachines) {
    const { executions: list } = await sfn.listExecutions({ stateMachineArn: machine.stateMachineArn, maxResults: 1000 });
    for (const execution of list) {
      let events = 0;
      let nextToken: string | undefined;
      do {
        const page = await sfn.getExecutionHistory({ executionArn: execution.executionArn, maxResults: 1000, nextToken });
        events += page.events.length;
        nextToken = page.nextToken;
      } while (nextToken);
      executions[execution.executionArn] = `${execution.status} with ${events} history events`;
    }
  }
  const alerts = (await t.stack.sns.list()).map((m) => m.messageId);
  const timers = t.stack.clock.pending().map((timer) => `${timer.key}@${timer.at}`);
  return { table, executions, alerts, timers };
}
type Snapshot = Awaited<ReturnType<typeof snapshot>>;

/** What changed between two snapshots, in words; empty when nothing did. */
function changes(before: Snapshot, after: Snapshot): string[] {
  const found: string[] = [];
  for (const part of ['table', 'executions'] as const) {
    const keys = new Set([...Object.keys(before[part]), ...Object.keys(after[part])]);
    for (const key of keys) {
      const [was, now] = [before[part][key], after[part][key]];
      if (was === now) continue;
      if (was === undefined) found.push(`${part}: added ${key}: ${now.slice(0, 400)}`);
      else if (now === undefined) found.push(`${part}: removed ${key}`);
      else found.push(`${part}: changed ${key}: ${was.slice(0, 300)} → ${now.slice(0, 300)}`);
    }
  }
  if (JSON.stringify(before.alerts) !== JSON.stringify(after.alerts)) found.push(`alerts: ${before.alerts.length} → ${after.alerts.length}`);
  if (JSON.stringify(before.timers) !== JSON.stringify(after.timers)) found.push(`timers: ${before.timers.join(', ')} → ${after.timers.join(', ')}`);
  return found;
}

let lastSnapshot: Snapshot | undefined;
let initialSnapshot: Snapshot;

beforeAll(async () => {
  t = await startTestStack('bad-input');
  // startLocalStack names the stack's table in the handlers' environment; startTestStack picks it per file.
  tableName = process.env.CASES_TABLE as string;
  expect(tableName).toMatch(/^cases-bad-input-/);
  ddb = new DynamoDBClient({ endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB, region: process.env.AWS_REGION });
  keys = await loadOrCreateKeys(join(dirname(t.stateDir), 'keys'));

  const everyone = [community, otherCommunity, street, otherAgency, supervisor, auditor, operator, districtOffice];
  for (const caller of everyone) tokens.set(`${caller.role}@${caller.unit}`, await t.token(caller.unit, caller.role));

  // Two real cases for the case routes to aim at.
  const body = CALLERS['create-case'].body as Record<string, unknown>;
  const a = await t.call('POST', '/v1/cases', { token: tokenOf(community), body });
  const b = await t.call('POST', '/v1/cases', { token: tokenOf(community), body: { ...body, category: 'neighbour-family', assignedUnit: COMMUNITY } });
  expect([a.status, b.status]).toEqual([201, 201]);
  caseA = a.body.id;
  caseB = b.body.id;
  await t.advance(0); // both workflows reach their first wait
  for (const id of [caseA, caseB]) {
    const execution = await t.call('GET', `/v1/cases/${id}/execution`, { token: tokenOf(supervisor) });
    expect(execution.body.currentState).toMatch(/^Await/);
  }
  const page = await t.call('GET', '/v1/cases?limit=1', { token: tokenOf(supervisor) });
  realCursor = page.body.nextCursor;
  expect(realCursor).toEqual(expect.any(String));

  // Tokens that must be refused: forged, foreign, expired, or with claims that do not fit.
  const sign = (claims: JWTPayload, edit: (jwt: SignJWT) => SignJWT = (jwt) => jwt, key: typeof keys.privateKey = keys.privateKey) =>
    edit(new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT' }).setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE).setIssuedAt().setExpirationTime('1h')).sign(key);
  const foreign = await generateKeyPair('RS256');
  const good = { sub: 'officer@street', unit: STREET, role: 'agency' };
  const nowSeconds = Math.floor(Date.now() / 1000);
  const valid = await signToken(keys, { sub: good.sub, unit: good.unit, role: good.role });
  const [header, payload, signature] = valid.split('.');
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  badTokens = [
    { label: 'signed with a foreign key', header: `Bearer ${await sign(good, undefined, foreign.privateKey)}` },
    { label: 'expired', header: `Bearer ${await sign(good, (jwt) => jwt.setIssuedAt(nowSeconds - 7200).setExpirationTime(nowSeconds - 3600))}` },
    { label: 'not valid yet', header: `Bearer ${await sign(good, (jwt) => jwt.setNotBefore(nowSeconds + 3600))}` },
    { label: 'another issuer', header: `Bearer ${await sign(good, (jwt) => jwt.setIssuer('https://evil.example'))}` },
    { label: 'another audience', header: `Bearer ${await sign(good, (jwt) => jwt.setAudience('someone-else'))}` },
    { label: 'alg none', header: `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${payload}.` },
    { label: 'payload swapped under the signature', header: `Bearer ${header}.${b64({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), role: 'supervisor', unit: CENTRE })}.${signature}` },
    { label: 'signature truncated', header: `Bearer ${header}.${payload}.${signature.slice(0, -4)}` },
    { label: 'unknown unit', header: `Bearer ${await sign({ sub: 'x', unit: 'no-such-unit', role: 'supervisor' })}` },
    { label: 'role that does not fit the unit', header: `Bearer ${await sign({ sub: 'x', unit: STREET, role: 'supervisor' })}` },
    { label: 'community posing as supervisor', header: `Bearer ${await sign({ sub: 'x', unit: COMMUNITY, role: 'supervisor' })}` },
    { label: 'no such role', header: `Bearer ${await sign({ sub: 'x', unit: CENTRE, role: 'root' })}` },
    { label: 'no sub', header: `Bearer ${await sign({ unit: STREET, role: 'agency' })}` },
    { label: 'no unit', header: `Bearer ${await sign({ sub: 'x', role: 'supervisor' })}` },
    { label: 'sub too long', header: `Bearer ${await sign({ ...good, sub: 'x'.repeat(300) })}` },
    { label: 'unit as an array', header: `Bearer ${await sign({ sub: 'x', unit: [CENTRE] as unknown as string, role: 'supervisor' })}` },
    { label: 'role as an array', header: `Bearer ${await sign({ sub: 'x', unit: CENTRE, role: ['supervisor'] as unknown as string })}` },
    { label: 'unit as an object', header: `Bearer ${await sign({ sub: 'x', unit: { id: CENTRE } as unknown as string, role: 'supervisor' })}` },
    { label: 'two tokens', header: `Bearer ${valid} ${valid}` },
    { label: 'Basic credentials', header: `Basic ${Buffer.from('supervisor:secret').toString('base64')}` },
    { label: 'token without scheme', header: valid },
    { label: 'scheme without token', header: 'Bearer' },
  ];
  initialSnapshot = await snapshot();
  lastSnapshot = initialSnapshot;
}, 120_000);

afterAll(async () => {
  ddb?.destroy();
  await t?.stop();
});

/* ---------- probes and what must come back ---------- */

interface Expectation {
  /** Acceptable statuses; 'ignorable' when the route may ignore the oddity (any status below 500). */
  readonly statuses: readonly number[] | 'ignorable';
  /** For a 400: the field path one of `errors` must name. */
  readonly errorPath?: string;
}
interface Probe {
  readonly label: string;
  readonly req: HttpRequest;
  readonly expect: Expectation;
}

const clip = (text: string, max = 300) => (text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text);

/** What fast-check prints for a counterexample: enough to reproduce, never a megabyte of body. */
function describeProbe(probe: Probe): string {
  const body = probe.req.body === undefined ? '' : Buffer.isBuffer(probe.req.body) ? `<${probe.req.body.length} bytes: ${clip(probe.req.body.toString('utf8'))}>` : clip(probe.req.body);
  const headers = Object.entries(probe.req.headers).map(([k, v]) => `${k}: ${clip(String(v), 120)}`);
  return `[${probe.label}] ${probe.req.method} ${clip(probe.req.path, 200)} {${headers.join('; ')}} ${body}`;
}

const probeArb = (arb: fc.Arbitrary<Probe>): fc.Arbitrary<Probe> =>
  arb.map((probe) => Object.assign(probe, { [fc.toStringMethod]: () => describeProbe(probe) }));

function checkResponse(probe: Probe, res: HttpResponse): void {
  expect(res.status).toBeLessThan(500);
  const { statuses } = probe.expect;
  if (statuses === 'ignorable') {
    expect(res.status === 200 || (res.status >= 400 && res.status < 500)).toBe(true);
  } else {
    expect(statuses).toContain(res.status);
  }
  expect(res.headers['x-request-id']).toBeTruthy();
  if (res.status < 400) return;

  if (probe.req.path.startsWith('/open311/') && !/^application\/problem\+json/.test(String(res.headers['content-type']))) {
    // Open311 routes refuse with the GeoReport v2 spec's errors, in the format the resource names (docs/open311.md);
    // their shape is checked against the spec in tests/integration/open311.test.ts.
    expect(res.text).not.toMatch(/\bat .*\.(ts|js):\d+/);
    if (/^application\/json/.test(String(res.headers['content-type']))) {
      expect(JSON.parse(res.text)).toEqual([{ code: res.status, description: expect.any(String) }]);
    } else {
      expect(String(res.headers['content-type'])).toMatch(/^text\/xml/);
      expect(res.text).toMatch(new RegExp(`^<\\?xml[^>]*\\?>\\n<errors><error><code>${res.status}</code><description>[^<]+</description></error></errors>$`));
    }
    return;
  }
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  const problem = JSON.parse(res.text);
  expect(problem).toEqual(
    expect.objectContaining({ type: expect.any(String), title: expect.any(String), status: res.status, detail: expect.any(String) }),
  );
  expect(res.text).not.toMatch(/\bat .*\.(ts|js):\d+/); // never a stack trace
  if (res.status === 400) {
    expect(Array.isArray(problem.errors) && problem.errors.length > 0).toBe(true);
    for (const error of problem.errors) expect(error).toEqual(expect.objectContaining({ path: expect.any(String), message: expect.any(String) }));
    if (probe.expect.errorPath !== undefined) {
      // The field at fault, or an element of it (`toUnits.0` for a bad entry of `toUnits`).
      const paths: string[] = problem.errors.map((e: { path: string }) => e.path);
      const at = probe.expect.errorPath;
      expect({ paths, names: paths.some((path) => path === at || path.startsWith(`${at}.`)) }).toEqual({ paths, names: true });
    }
  }
}

/** Sends the probe; the answer must be a refusal in problem+json, and nothing may change. */
async function run(probe: Probe): Promise<void> {
  const before = lastSnapshot ?? (await snapshot());
  let res: HttpResponse | undefined;
  try {
    res = await send(probe.req);
    await t.stack.stepFunctions.idle();
    const after = await snapshot();
    lastSnapshot = after;
    checkResponse(probe, res);
    expect(changes(before, after)).toEqual([]);
  } catch (error) {
    const answer = res ? `→ ${res.status} ${res.headers['content-type'] ?? '(no content-type)'} ${clip(res.text, 400)}` : '→ no answer';
    throw new Error(`${describeProbe(probe)}\n${answer}\n${(error as Error).message}`);
  }
}

/* ---------- building requests ---------- */

interface Parts {
  readonly model: RouteModel;
  readonly caller?: CallerRef | null;
  readonly authorization?: string | null;
  readonly params?: Record<string, string>;
  readonly query?: string;
  readonly headers?: Record<string, string | string[]>;
  readonly body?: string | Buffer | null;
  readonly contentType?: string | null;
  readonly method?: string;
}

/** A request to the route, valid in every part the probe does not override. */
function build(parts: Parts, caseId: string = caseA): HttpRequest {
  const { model } = parts;
  const params: Record<string, string> = {};
  for (const name of model.pathParams) {
    params[name] = parts.params?.[name] ?? (name === 'id' ? caseId : name === 'month' ? '2026-03' : encodeURIComponent(String(exampleOf(model.paramSchemas[name] ?? {}))));
  }
  const path = model.route.path.replace(/\{(\w+)\}/g, (_, name: string) => params[name]);
  const query = parts.query ?? new URLSearchParams(validQueryOf(model)).toString();
  const caller = parts.caller === undefined ? model.callers.allowed : parts.caller;
  const authorization = parts.authorization !== undefined ? parts.authorization : caller && !model.route.public ? `Bearer ${tokenOf(caller)}` : null;
  const validBody = validBodyOf(model);
  const body = parts.body !== undefined ? parts.body : validBody === undefined ? null : JSON.stringify(validBody);
  const contentType = parts.contentType !== undefined ? parts.contentType : body === null ? null : 'application/json';
  return {
    method: parts.method ?? model.route.method,
    path: `${path}${query ? `?${query}` : ''}`,
    headers: {
      ...(authorization !== null ? { authorization } : {}),
      ...(contentType !== null ? { 'content-type': contentType } : {}),
      ...(parts.headers ?? {}),
    },
    ...(body !== null ? { body } : {}),
  };
}

const existingCase = () => fc.constantFrom(caseA, caseB);
const MAX_BODY = 64 * 1024;
/** What a body of this size must get when it is otherwise refused with 400. */
const sizedExpectation = (text: string, errorPath?: string): Expectation =>
  Buffer.byteLength(text, 'utf8') > MAX_BODY ? { statuses: [413] } : { statuses: [400], ...(errorPath !== undefined ? { errorPath } : {}) };

/* ---------- generators of bad values ---------- */

const HEADER_CHARS = fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0xa0, max: 0xff })).map((code) => String.fromCharCode(code));
/** Strings Node will put in a header value: printable ASCII and Latin-1. */
const headerText = (options: { minLength?: number; maxLength?: number } = {}) => fc.string({ unit: HEADER_CHARS, ...options });

const nastyStrings = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  '\u202e',
  '😀',
  '楼道',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  "' OR '1'='1",
  '${jndi:ldap://x}',
  '%00',
  'null',
  'undefined',
  'NaN',
  '__proto__',
);
const anyText = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 30 }), nastyStrings);

/** A JSON text nested `depth` levels deep (built as text: no recursion on our side). */
const deepJson = fc
  .tuple(fc.integer({ min: 50, max: 5000 }), fc.boolean())
  .map(([depth, arrays]) => (arrays ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`));
const hugeString = fc
  .tuple(fc.integer({ min: 1000, max: 90_000 }), fc.constantFrom('a', '楼', 'é', '😀'))
  .map(([length, char]) => JSON.stringify(char.repeat(Math.ceil(length / char.length))));
/** Any JSON value as text: small values, deep ones, huge strings. */
const jsonValueText = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)) },
  { weight: 1, arbitrary: deepJson },
  { weight: 1, arbitrary: hugeString },
  { weight: 1, arbitrary: anyText.map((text) => JSON.stringify(text)) },
);

const PLACEHOLDER = '\u0001placeholder\u0001';
const placeholderText = JSON.stringify(PLACEHOLDER);

interface Site {
  readonly path: readonly string[];
  readonly schema: JsonSchema;
}
/** Every property of the body schema, nested ones included. */
function sitesOf(schema: JsonSchema, path: readonly string[] = []): Site[] {
  const s = resolveSchema(schema);
  const here: Site[] = [{ path, schema: s }];
  if (s.type !== 'object' || !s.properties) return here;
  return [...here, ...Object.entries(s.properties).flatMap(([name, child]) => sitesOf(child, [...path, name]))];
}

/** The valid body with the value at `path` replaced by raw JSON text (parents made from examples). */
function replaceAt(body: unknown, schema: JsonSchema, path: readonly string[], valueText: string | undefined): string {
  const copy = structuredClone(body) as Record<string, unknown>;
  let target: Record<string, unknown> = copy;
  let targetSchema = resolveSchema(schema);
  for (const name of path.slice(0, -1)) {
    targetSchema = resolveSchema(targetSchema.properties![name]);
    if (typeof target[name] !== 'object' || target[name] === null) target[name] = exampleOf(targetSchema);
    target = target[name] as Record<string, unknown>;
  }
  const last = path[path.length - 1];
  if (valueText === undefined) {
    delete target[last];
    return JSON.stringify(copy);
  }
  target[last] = PLACEHOLDER;
  return JSON.stringify(copy).replace(placeholderText, () => valueText);
}

/** The valid body with an extra member `key` in the object at `path`. */
function addMember(body: unknown, schema: JsonSchema, path: readonly string[], key: string, valueText: string): string {
  const copy = structuredClone(body) as Record<string, unknown>;
  let target: Record<string, unknown> = copy;
  let targetSchema = resolveSchema(schema);
  for (const name of path) {
    targetSchema = resolveSchema(targetSchema.properties![name]);
    if (typeof target[name] !== 'object' || target[name] === null) target[name] = exampleOf(targetSchema);
    target = target[name] as Record<string, unknown>;
  }
  target[PLACEHOLDER] = 0;
  return JSON.stringify(copy).replace(`${placeholderText}:0`, () => `${JSON.stringify(key)}:${valueText}`);
}

/** JSON text of a value whose JSON type is not `type`. */
function wrongTypeText(type: string | undefined): fc.Arbitrary<string> {
  const options: fc.Arbitrary<string>[] = [fc.constant('null')];
  if (type !== 'string') options.push(anyText.map((s) => JSON.stringify(s)), fc.constantFrom('"1"', '"true"', '"{}"'));
  if (type !== 'number' && type !== 'integer') options.push(fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)), fc.constantFrom('1e400', '-0'));
  if (type !== 'boolean') options.push(fc.constantFrom('true', 'false'));
  if (type !== 'object') options.push(fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify({ v })), deepJson.filter((text) => text.startsWith('{')));
  options.push(fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify([v])), deepJson.filter((text) => text.startsWith('[')));
  return fc.oneof(...options);
}

/** Bodies that break the route's schema in exactly one place, with the path a 400 must name. */
function badBodies(model: RouteModel): fc.Arbitrary<{ text: string; errorPath: string; what: string }> {
  const schema = model.body!;
  const base = validBodyOf(model);
  const sites = sitesOf(schema);
  const dotted = (path: readonly string[]) => path.join('.');
  const options: fc.Arbitrary<{ text: string; errorPath: string; what: string }>[] = [];

  // The whole body of the wrong JSON type.
  options.push(
    fc
      .oneof(wrongTypeText('object'), fc.constant(JSON.stringify([base])), fc.constant('""'), fc.constant('0'))
      .map((text) => ({ text, errorPath: '', what: 'body of the wrong type' })),
  );
  for (const site of sites) {
    const { path, schema: s } = site;
    if (s.type === 'object' && s.additionalProperties === false) {
      const declared = s.properties ?? {};
      const key = fc
        .oneof(
          fc.string({ unit: 'grapheme', maxLength: 20 }),
          fc.string({ unit: 'binary', minLength: 1, maxLength: 10 }),
          fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'id', 'version', 'status', 'tier', 'assignedUnit', 'originUnit', 'pk', 'sk', 'pendingTask', 'lastEventSeq', 'by', 'action', 'Title', 'title ', ''),
        )
        .filter((k) => !Object.hasOwn(declared, k));
      options.push(
        fc.tuple(key, jsonValueText).map(([k, valueText]) => ({ text: addMember(base, schema, path, k, valueText), errorPath: dotted(path), what: `unknown member ${JSON.stringify(k).slice(0, 40)} at "${dotted(path)}"` })),
      );
    }
    if (path.length === 0) continue;
    const errorPath = dotted(path);
    if (s.type) options.push(wrongTypeText(s.type).map((text) => ({ text: replaceAt(base, schema, path, text), errorPath, what: `${errorPath} of the wrong type` })));
    const parent = resolveSchema(sites.find((other) => dotted(other.path) === dotted(path.slice(0, -1)))!.schema);
    if (parent.required?.includes(path[path.length - 1])) {
      options.push(fc.constant({ text: replaceAt(base, schema, path, undefined), errorPath, what: `${errorPath} missing` }));
    }
    if (s.enum) {
      const members = s.enum.map(String);
      const miss = fc.oneof(anyText, fc.constantFrom(...members.flatMap((m) => [m.toUpperCase(), ` ${m}`, `${m} `, `${m},${m}`]))).filter((v) => !members.includes(v));
      options.push(miss.map((v) => ({ text: replaceAt(base, schema, path, JSON.stringify(v)), errorPath, what: `${errorPath} not one of its values` })));
    } else if (s.type === 'string') {
      if (s.maxLength !== undefined) {
        const tooLong = fc.tuple(fc.integer({ min: 1, max: 3000 }), fc.constantFrom('a', '楼', 'é', 'x')).map(([extra, c]) => c.repeat(s.maxLength! + extra));
        options.push(tooLong.map((v) => ({ text: replaceAt(base, schema, path, JSON.stringify(v)), errorPath, what: `${errorPath} too long` })));
      }
      if ((s.minLength ?? 0) >= 1 || (s.pattern && !new RegExp(s.pattern).test(''))) {
        options.push(fc.constant({ text: replaceAt(base, schema, path, '""'), errorPath, what: `${errorPath} empty` }));
      }
      if (s.pattern) {
        const re = new RegExp(s.pattern);
        options.push(anyText.filter((v) => !re.test(v)).map((v) => ({ text: replaceAt(base, schema, path, JSON.stringify(v)), errorPath, what: `${errorPath} not matching ${s.pattern}` })));
      }
    } else if (s.type === 'number' || s.type === 'integer') {
      const out: number[] = [1e308, -1e308];
      if (s.minimum !== undefined) out.push(s.minimum - 1, s.minimum - 1e-9, s.minimum - 1000);
      if (s.maximum !== undefined) out.push(s.maximum + 1, s.maximum + 1e-9, s.maximum * 1000 + 1);
      if (s.multipleOf !== undefined) {
        const low = s.minimum ?? 0;
        out.push(low + s.multipleOf * 0.25, low + s.multipleOf * 1.5 + s.multipleOf * 0.3);
      }
      if (s.type === 'integer') out.push((s.minimum ?? 0) + 0.5);
      const bad = out.filter((n) => (s.minimum !== undefined && n < s.minimum) || (s.maximum !== undefined && n > s.maximum) || (s.multipleOf !== undefined && Math.abs(n / s.multipleOf - Math.round(n / s.multipleOf)) > 1e-6) || (s.type === 'integer' && !Number.isInteger(n)));
      if (bad.length) options.push(fc.constantFrom(...bad).map((n) => ({ text: replaceAt(base, schema, path, JSON.stringify(n)), errorPath, what: `${errorPath} out of range` })));
    }
  }
  return fc.oneof(...options);
}

/** Text that is not JSON, made from the valid body or from nothing. */
function malformedJson(model: RouteModel): fc.Arbitrary<{ body: string | Buffer; what: string }> {
  const base = JSON.stringify(validBodyOf(model) ?? { note: 'x' });
  const notJson = (text: string) => {
    try {
      JSON.parse(text);
      return false;
    } catch {
      return true;
    }
  };
  return fc.oneof(
    fc.integer({ min: 1, max: base.length - 1 }).map((n) => ({ body: base.slice(0, n), what: 'truncated JSON' })),
    fc.string({ minLength: 1, maxLength: 20 }).map((g) => ({ body: base + g, what: 'JSON followed by garbage' })).filter(({ body }) => notJson(body)),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }).filter(notJson).map((body) => ({ body, what: 'random text' })),
    fc.constantFrom(
      // A body with no string in it ({} for a route whose members are all optional) has no quote to swap.
      { body: base.includes('"') ? base.replace(/"/g, "'") : "{'note':'x'}", what: 'single quotes' },
      { body: base.replace(/}$/, ',}'), what: 'trailing comma' },
      { body: `/* comment */${base}`, what: 'comment' },
      { body: base + base, what: 'two documents' },
      { body: '{"a":NaN}', what: 'NaN' },
      { body: '{"a":undefined}', what: 'undefined' },
      { body: '{"a":01}', what: 'leading zero' },
      { body: '{"a":"\\x41"}', what: 'bad escape' },
      { body: '{"a":"\u0001"}', what: 'raw control character in a string' },
      { body: '[', what: 'unclosed array' },
      { body: '"unterminated', what: 'unterminated string' },
      { body: `${'['.repeat(100_000).slice(0, 60_000)}`, what: 'deep and unclosed' },
      { body: Buffer.concat([Buffer.from(base.slice(0, 1)), Buffer.from([0xff, 0xfe, 0xc0, 0xaf]), Buffer.from(base.slice(1))]), what: 'invalid UTF-8 between tokens' },
    ).filter(({ body }) => typeof body !== 'string' || notJson(body)),
  );
}

const NON_JSON_TYPES = fc.oneof(
  fc.constantFrom(
    'text/plain',
    'text/plain; charset=utf-8',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=xyz',
    'application/xml',
    'text/json',
    'application/jsonp',
    'application/javascript',
    'image/png',
    'application/octet-stream',
    '*/*',
    'json',
    'application',
    '; application/json',
  ),
  fc
    .tuple(fc.stringMatching(/^[a-z]{1,10}$/), fc.stringMatching(/^[a-z.+-]{1,12}$/))
    .map(([type, sub]) => `${type}/${sub}`)
    .filter((type) => !type.includes('json')),
);

/** Values of a path parameter that are not a valid one, as they go on the wire (already escaped). */
const encode = (value: string) => {
  try {
    return encodeURIComponent(value);
  } catch {
    return '%ED%A0%80'; // a lone surrogate, escaped as UTF-8 bytes it cannot be
  }
};
function junkParams(model: RouteModel, name: string): fc.Arbitrary<{ raw: string; statuses: number[] }> {
  const schema = model.paramSchemas[name] ?? {};
  const pattern = schema.pattern ? new RegExp(schema.pattern) : undefined;
  const existing = [caseA, caseB];
  const nearMisses = [
    ...existing.flatMap((id) => [id.toLowerCase(), id.slice(0, -1), `${id}A`, `I${id.slice(1)}`, `${id}%20`, `%20${id}`, `${id}%00`, `${id}%2F..`, `${id}.json`, `${id};x=1`]),
    '2026-3',
    '2026-13',
    '2026-00',
    '202603',
    '2026_03',
    '2026-03-01',
    '-2026-03',
  ];
  const arbs: fc.Arbitrary<{ raw: string; statuses: number[] }>[] = [
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).map((s) => ({ raw: encode(s), statuses: [400, 404] })),
    fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 40 }).map((s) => ({ raw: encode(s), statuses: [400, 404] })),
    fc.constantFrom('..', '.', '%2e%2e', '%2E%2E', '.%2e', '..%2F..%2F..%2Fetc%2Fpasswd', '..%5C..%5Cwindows', '%2e%2e%2f%2e%2e%2f', '....', '..;', '...', '%20', '%09', '+', '~').map((raw) => ({ raw, statuses: [400, 404] })),
    fc.constantFrom(...nearMisses).map((raw) => ({ raw, statuses: [400, 404] })),
    fc.integer({ min: 27, max: 6000 }).map((n) => ({ raw: '0123456789ABCDEFGHJKMNPQRSTVWXYZ'.repeat(Math.ceil(n / 32)).slice(0, n), statuses: [400, 404] })),
  ];
  if (name === 'id' && pattern) {
    // Well formed, but no such case.
    arbs.push(fc.stringMatching(pattern).filter((id) => !existing.includes(id)).map((raw) => ({ raw, statuses: [404] })));
  }
  // A bare dot segment is resolved by the client before it is sent; when that lands on another
  // route (/v1/cases/ID/co-handlers/../return is /v1/cases/ID/return), the probe is that route's.
  const resolvedAway = (raw: string) => {
    if (raw !== '.' && raw !== '..') return false;
    const sent = new URL(`http://stack${model.route.path.replace(`{${name}}`, raw).replace(/\{[^}]+\}/g, 'P')}`).pathname;
    return ROUTES.some((route) => route.method === model.route.method && new RegExp(`^${route.path.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(sent));
  };
  return fc.oneof(...arbs).filter(({ raw }) => {
    if (resolvedAway(raw)) return false;
    try {
      return !existing.includes(decodeURIComponent(raw));
    } catch {
      return true;
    }
  });
}

/* ---------- the families of bad input ---------- */

interface Family {
  readonly name: string;
  readonly runs: number;
  readonly applies: (m: RouteModel) => boolean;
  readonly probes: (m: RouteModel) => fc.Arbitrary<Probe>;
  /** Probes tried on every run before the generated ones: the corpus no route may get wrong. */
  readonly examples?: (m: RouteModel) => Probe[];
}

const isGet = (m: RouteModel) => m.route.method === 'GET';
/**
 * The case a probe whose oddity the route may ignore is aimed at. A route that writes without a
 * body (the erasure) would carry out an otherwise valid request, so its probes go to a case that
 * does not exist: ignoring the oddity then still changes nothing.
 */
const NO_SUCH_CASE = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
const ignorableTarget = (m: RouteModel) => (m.body === undefined && !isGet(m) ? fc.constant(NO_SUCH_CASE) : existingCase());
/** A body the route must refuse, for probes whose own oddity a route may ignore. */
const refusedBody = (m: RouteModel) => badBodies(m).filter(({ text }) => Buffer.byteLength(text) <= MAX_BODY);

const FAMILIES: Family[] = [
  {
    name: 'bodies that break the schema (wrong types, unknown members, missing, too long, out of range, deep, huge)',
    runs: 8,
    applies: (m) => m.body !== undefined,
    probes: (m) =>
      fc.tuple(badBodies(m), existingCase()).map(([bad, id]) => ({
        label: bad.what,
        req: build({ model: m, body: bad.text }, id),
        expect: sizedExpectation(bad.text, bad.errorPath),
      })),
  },
  {
    name: 'malformed JSON, no body, non-JSON content types and oversized bodies',
    runs: 5,
    applies: () => true,
    probes: (m) => {
      const valid = JSON.stringify(validBodyOf(m) ?? {});
      // A GET route may ignore a body; a route that takes one must refuse all of these.
      const refusal = (statuses: number[], errorPath?: string): Expectation =>
        m.body === undefined ? { statuses: 'ignorable' } : { statuses, ...(errorPath !== undefined ? { errorPath } : {}) };
      return fc.oneof(
        fc.tuple(malformedJson(m), existingCase()).map(([bad, id]) => ({ label: bad.what, req: build({ model: m, body: bad.body }, id), expect: refusal([400], '') })),
        ignorableTarget(m).map((id) => ({ label: 'no body', req: build({ model: m, body: null, contentType: 'application/json' }, id), expect: m.body === undefined ? { statuses: 'ignorable' as const } : { statuses: [400], errorPath: '' } })),
        fc.tuple(NON_JSON_TYPES, existingCase()).map(([type, id]) => ({ label: `valid body sent as ${type}`, req: build({ model: m, body: valid, contentType: type }, id), expect: refusal([415]) })),
        fc.tuple(fc.integer({ min: MAX_BODY + 1, max: 3 * MAX_BODY }), existingCase()).map(([size, id]) => ({
          label: `valid body padded to ${size} bytes`,
          req: build({ model: m, body: valid + ' '.repeat(Math.max(0, size - Buffer.byteLength(valid))) }, id),
          expect: refusal([413]),
        })),
        existingCase().map((id) => ({ label: 'valid body padded past 1 MiB', req: build({ model: m, body: valid + ' '.repeat(1024 * 1024 + 1) }, id), expect: refusal([413]) })),
      );
    },
  },
  {
    name: 'bad path parameters (junk, unicode, dot segments, near misses, long ids, unknown ids, other methods)',
    runs: 5,
    applies: (m) => m.pathParams.length > 0,
    probes: (m) =>
      fc.oneof(
        fc
          .constantFrom(...m.pathParams)
          .chain((name) => junkParams(m, name).map((bad) => ({ name, bad })))
          .map(({ name, bad }) => ({ label: `${name} = ${bad.raw.slice(0, 60)}`, req: build({ model: m, params: { [name]: bad.raw } }), expect: { statuses: bad.statuses } })),
        fc.constantFrom(...['PUT', 'DELETE', 'PATCH'].filter((method) => method !== m.route.method)).map((method) => ({ label: `${method} instead of ${m.route.method}`, req: build({ model: m, method }), expect: { statuses: [404, 405] } })),
      ),
  },
  {
    name: 'malformed percent-encoding in a path parameter',
    runs: 3,
    applies: (m) => m.pathParams.length > 0,
    probes: (m) =>
      fc
        .tuple(fc.constantFrom(...m.pathParams), fc.constantFrom('%', '%zz', '%E0%A4%A', '%C0%AF', '%ED%A0%80', '%FF', 'abc%', '%%', '%u0041'))
        .map(([name, raw]) => ({ label: `${name} = ${raw}`, req: build({ model: m, params: { [name]: raw } }), expect: { statuses: [400, 404] } })),
  },
  {
    name: 'very long path parameters (past 16 KiB)',
    runs: 3,
    applies: (m) => m.pathParams.length > 0,
    probes: (m) =>
      fc
        .tuple(fc.constantFrom(...m.pathParams), fc.integer({ min: 17_000, max: 40_000 }), fc.constantFrom('A', '0', '%E6%A5%BC'))
        .map(([name, length, unit]) => ({ label: `${name} of ${length} × ${unit}`, req: build({ model: m, params: { [name]: unit.repeat(length) } }), expect: { statuses: [400, 404, 414, 431] } })),
  },
  {
    name: 'bad query parameters (unknown names, bad values, repeats, empty values)',
    runs: 4,
    applies: () => true,
    probes: (m) => {
      const declared = new Set(m.query.map((q) => q.name));
      const unknownName = fc
        .oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }), fc.constantFrom('limit ', 'LIMIT', 'unit[]', 'status[0]', '__proto__', 'constructor', 'cursor%00', 'format.x', 'x'))
        .filter((name) => !declared.has(name));
      if (m.query.length === 0) {
        // The route takes no query: it may ignore one. A POST still gets a body it must refuse.
        return fc.tuple(unknownName, anyText, m.body ? refusedBody(m) : fc.constant(undefined), ignorableTarget(m)).map(([name, value, bad, id]) => ({
          label: `?${name}=… ${bad ? `with ${bad.what}` : ''}`,
          req: build({ model: m, query: new URLSearchParams([[name, value]]).toString(), ...(bad ? { body: bad.text } : {}) }, id),
          expect: bad ? { statuses: [400], errorPath: bad.errorPath } : { statuses: 'ignorable' as const },
        }));
      }
      const valid = validQueryOf(m);
      const badValues: fc.Arbitrary<[string, string][]>[] = [fc.tuple(unknownName, anyText).map(([name, value]) => [...Object.entries(valid), [name, value]])];
      for (const param of m.query) {
        const s = param.schema;
        const others = Object.entries(valid).filter(([name]) => name !== param.name);
        const re = s.pattern ? new RegExp(s.pattern) : undefined;
        const invalid = (v: string) => (s.enum ? !s.enum.includes(v) : re ? !re.test(v) : s.maxLength !== undefined && v.length > s.maxLength);
        const values: fc.Arbitrary<string>[] = [];
        if (s.maxLength !== undefined) values.push(fc.integer({ min: s.maxLength + 1, max: s.maxLength + 4000 }).map((n) => 'A'.repeat(n)));
        if (values.length === 0 && !(s.enum || re)) continue;
        if (s.enum || re) {
          const odd = ['-1', '1e3', '0x10', '2026-13', '9999-99', 'JSON', 'CSV', 'true', 'null', '[]', '{}', ''].filter(invalid);
          values.push(anyText.filter(invalid), fc.constantFrom(...odd));
          const example = valid[param.name] ?? String(s.enum?.[0] ?? exampleOf(s));
          // The same parameter twice: the API joins repeats with a comma, which no value allows.
          badValues.push(fc.constant([...others, [param.name, example], [param.name, example]]));
        }
        badValues.push(fc.oneof(...values).map((value) => [...others, [param.name, value]]));
      }
      return fc.oneof(...badValues).map((entries) => ({
        label: `query ${clip(new URLSearchParams(entries).toString(), 120)}`,
        req: build({ model: m, query: new URLSearchParams(entries).toString() }),
        expect: { statuses: [400] },
      }));
    },
    // Names that are special to JavaScript objects must be refused like any other unknown name.
    examples: (m) =>
      m.query.length === 0
        ? []
        : ['__proto__', 'constructor', 'toString'].map((name) => {
            const query = `${new URLSearchParams(validQueryOf(m)).toString()}&${name}=1`.replace(/^&/, '');
            return { label: `query ${query}`, req: build({ model: m, query }), expect: { statuses: [400] } };
          }),
  },
  {
    name: 'forged and tampered cursors',
    runs: 10,
    applies: (m) => m.query.some((q) => q.name === 'cursor'),
    probes: (m) => {
      const decoded = JSON.parse(Buffer.from(realCursor, 'base64url').toString('utf8')) as { q: string; k: Record<string, string> };
      const keyNames = Object.keys(decoded.k);
      const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
      // Cursors whose structure is broken: the key lacks an attribute, has one too many, or is not a cursor at all.
      const broken = fc.oneof(
        fc.constantFrom(...keyNames).map((drop) => ({ q: decoded.q, k: Object.fromEntries(Object.entries(decoded.k).filter(([name]) => name !== drop)) })),
        fc.constant({ q: decoded.q, k: {} }),
        fc.tuple(fc.string({ minLength: 1, maxLength: 10 }), anyText).map(([name, value]) => ({ q: decoded.q, k: { ...decoded.k, [`x${name}`]: value } })),
        fc.constantFrom(...keyNames).map((name) => ({ q: decoded.q, k: { ...decoded.k, [name]: 42 } })),
        fc.constant({ q: decoded.q, k: { ...decoded.k, pk: { S: 'CASE#x' } } }),
        fc.constant({ q: decoded.q }),
        fc.constant({ q: 'another-query', k: decoded.k }),
      );
      const refused = fc.oneof(
        broken.map(b64),
        anyText.filter((s) => s.length > 0),
        fc.jsonValue({ maxDepth: 2 }).map(b64),
        fc.constantFrom(realCursor.slice(0, -3), realCursor.toLowerCase(), realCursor.replace(/[A-Z]/, '*')),
      );
      // A well-formed key moved to another position is just another starting point: it may be honoured.
      const moved = fc
        .constantFrom(...keyNames)
        .chain((name) => anyText.map((value) => ({ q: decoded.q, k: { ...decoded.k, [name]: `${decoded.k[name]}${value}` } })))
        .map(b64);
      const probe = (value: string, expectation: Expectation): Probe => ({
        label: `cursor ${clip(Buffer.from(value, 'base64url').toString('utf8'), 200)}`,
        req: build({ model: m, query: new URLSearchParams({ ...validQueryOf(m), limit: '1', cursor: value }).toString() }),
        expect: expectation,
      });
      return fc.oneof(
        { weight: 4, arbitrary: refused.map((value) => probe(value, { statuses: [400] })) },
        { weight: 1, arbitrary: moved.map((value) => probe(value, { statuses: 'ignorable' })) },
      );
    },
    examples: (m) => {
      const decoded = JSON.parse(Buffer.from(realCursor, 'base64url').toString('utf8')) as { q: string; k: Record<string, string> };
      const variants = [
        ...Object.keys(decoded.k).map((drop) => ({ q: decoded.q, k: Object.fromEntries(Object.entries(decoded.k).filter(([name]) => name !== drop)) })),
        { q: decoded.q, k: {} },
        { q: decoded.q, k: { ...decoded.k, extra: 'x' } },
      ];
      return variants.map((variant) => {
        const value = Buffer.from(JSON.stringify(variant)).toString('base64url');
        return {
          label: `cursor ${JSON.stringify(variant)}`,
          req: build({ model: m, query: new URLSearchParams({ ...validQueryOf(m), limit: '1', cursor: value }).toString() }),
          expect: { statuses: [400] },
        };
      });
    },
  },
  {
    name: 'bad Idempotency-Key headers (and other odd headers)',
    runs: 4,
    applies: () => true,
    probes: (m) => {
      const validKey = /^[A-Za-z0-9_.:-]{1,128}$/;
      const badKey = fc
        .oneof(
          fc.constant(''),
          fc.integer({ min: 129, max: 2000 }).map((n) => 'k'.repeat(n)),
          headerText({ minLength: 1, maxLength: 60 }),
          // Non-ASCII keys go on the wire as their UTF-8 bytes, as a client would send them.
          fc.constantFrom('a b', 'key/1', 'key#1', 'ключ', 'clé', '钥匙', 'a+b=', '*', '%41', 'key\t1').map((k) => Buffer.from(k, 'utf8').toString('latin1')),
        )
        .filter((key) => !validKey.test(key.trim()));
      const key = fc.oneof({ weight: 5, arbitrary: badKey.map((k): string | string[] => k) }, { weight: 1, arbitrary: fc.constant<string | string[]>(['key-1', 'key-2']) });
      const odd = fc.record({ 'x-request-id': headerText({ maxLength: 300 }), accept: fc.constantFrom('*/*', 'text/html', 'application/xml', '') }, { requiredKeys: [] });
      return fc.tuple(key, odd, m.body ? refusedBody(m) : fc.constant(undefined), ignorableTarget(m)).map(([k, headers, bad, id]) => {
        const keyHeaders: Record<string, string | string[]> = { 'idempotency-key': k };
        for (const [name, value] of Object.entries(headers)) if (value !== undefined) keyHeaders[name] = value;
        if (m.callers.idempotencyKey) {
          // The key is checked on an otherwise valid request: a malformed one must refuse it.
          return { label: `Idempotency-Key ${clip(JSON.stringify(k), 80)}`, req: build({ model: m, headers: keyHeaders }, id), expect: { statuses: [400], errorPath: 'Idempotency-Key' } };
        }
        return {
          label: `Idempotency-Key ${clip(JSON.stringify(k), 80)} ${bad ? `with ${bad.what}` : ''}`,
          req: build({ model: m, headers: keyHeaders, ...(bad ? { body: bad.text } : {}) }, id),
          expect: bad ? { statuses: [400], errorPath: bad.errorPath } : { statuses: 'ignorable' as const },
        };
      });
    },
  },
  {
    name: 'garbage, forged, expired and ill-fitting tokens',
    runs: 6,
    applies: () => true,
    probes: (m) => {
      const valid = tokenOf(m.callers.allowed);
      const authorization = fc.oneof(
        fc.constant({ label: 'no Authorization', header: null as string | null }),
        fc.constantFrom(...badTokens),
        headerText({ minLength: 1, maxLength: 200 }).filter((s) => s.trim().length > 0).map((s) => ({ label: 'garbage', header: s })),
        headerText({ minLength: 1, maxLength: 200 }).map((s) => ({ label: 'garbage bearer', header: `Bearer ${s.replace(/\s/g, '') || 'x'}` })),
        fc.integer({ min: 10, max: valid.length - 10 }).map((i) => ({ label: `token with character ${i} changed`, header: `Bearer ${valid.slice(0, i)}${valid[i] === 'A' ? 'B' : 'A'}${valid.slice(i + 1)}` })),
        fc.integer({ min: 1, max: valid.length - 1 }).map((n) => ({ label: `token cut to ${n} characters`, header: `Bearer ${valid.slice(0, n)}` })),
      );
      // Everything else is valid and aimed at a real case: a token let through would act on it.
      return fc.tuple(authorization, existingCase()).map(([auth, id]) => ({
        label: auth.label,
        req: build({ model: m, authorization: auth.header }, id),
        expect: m.route.public ? { statuses: 'ignorable' as const } : { statuses: [401, 403] },
      }));
    },
    // Every forged or ill-fitting token, on every route that needs one.
    examples: (m) =>
      m.route.public
        ? []
        : [{ label: 'no Authorization', header: null }, ...badTokens].map((auth) => ({
            label: auth.label,
            req: build({ model: m, authorization: auth.header }),
            expect: { statuses: [401, 403] },
          })),
  },
  {
    name: 'valid tokens of callers the route must refuse',
    runs: 3,
    applies: (m) => (m.callers.forbidden ?? []).length > 0,
    probes: (m) =>
      fc.constantFrom(...m.callers.forbidden!).map((caller) => ({
        label: `as ${caller.role} of ${caller.unit}`,
        req: build({ model: m, caller }),
        expect: { statuses: [403] },
      })),
  },
];

/* ---------- the tests: every route, every family that applies to it ---------- */

describe.each(MODELS.map((m) => [m.name, m] as const))('%s', (_name, model) => {
  const families = FAMILIES.filter((family) => family.applies(model));
  it.each(families.map((f) => [f.name, f] as const))('%s: refused with a problem, nothing changed', async (_family, family) => {
    const examples = (family.examples?.(model) ?? []).map((probe): [Probe] => [Object.assign(probe, { [fc.toStringMethod]: () => describeProbe(probe) })]);
    await fc.assert(fc.asyncProperty(probeArb(family.probes(model)), run), { numRuns: family.runs + examples.length, examples }); // examples count towards numRuns
  });
});

it('leaves the store, the executions and the alerts as they were after all of it', async () => {
  await t.stack.stepFunctions.idle();
  expect(changes(initialSnapshot, await snapshot())).toEqual([]);
  // Sanity: the cases are still where they were put, at their first wait.
  const a = await t.call('GET', `/v1/cases/${caseA}`, { token: tokenOf(supervisor) });
  const b = await t.call('GET', `/v1/cases/${caseB}`, { token: tokenOf(supervisor) });
  expect([a.body.status, a.body.timeline.length, b.body.status, b.body.timeline.length]).toEqual(['awaiting-sign-off', 1, 'in-progress', 1]);
  const list = await t.call('GET', '/v1/cases?month=2026-03&limit=100', { token: tokenOf(supervisor) });
  expect(list.body.items.map((c: { id: string }) => c.id).sort()).toEqual([caseA, caseB].sort());
});
