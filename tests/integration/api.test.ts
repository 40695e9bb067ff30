import { startTestStack, type TestStack } from '../support/local-stack';
import { ROUTES } from '../../functions/api/routes';
import { generateKeyPair, SignJWT } from 'jose';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../local/jwt';

/*
 * Intake and look-up through the HTTP API of the local stack: the deployed handlers on
 * DynamoDB Local, the JWT check, and the workflow started on the local Step Functions.
 */
const COMMUNITY = 'community-xiling-shengli-silu';
const OTHER_COMMUNITY = 'community-xiling-wuguibei';
const STREET_OFFICE = 'street-xiling-xiling'; // Shengli Silu's street office: routine cases go there
const HOUSING_BUREAU = 'city-dept-housing';

const routineCase = {
  title: '楼道堆放杂物 Clutter blocking a stairwell',
  description: '3 号楼二单元楼道长期堆放杂物，影响通行和消防安全。',
  category: 'routine',
  reportedVia: 'patrol',
  complainant: { name: '张明', phone: '13800138000' },
  location: { address: '胜利四路 12 号 3 栋' },
};

let t: TestStack;
let community: string;
let supervisor: string;

beforeAll(async () => {
  t = await startTestStack('api');
  community = await t.token(COMMUNITY, 'community');
  supervisor = await t.token('supervision-centre', 'supervisor');
});
afterAll(() => t.stop());

const expectProblem = (response: { status: number; headers: Headers; body: any }, status: number) => {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.body).toEqual(expect.objectContaining({ status, title: expect.any(String), detail: expect.any(String) }));
  expect(JSON.stringify(response.body)).not.toMatch(/\bat .*\.(ts|js):\d+/); // never a stack trace
};

async function caseCount(): Promise<number> {
  const response = await t.call('GET', '/v1/cases?month=2026-03&limit=100', { token: supervisor });
  expect(response.status).toBe(200);
  return response.body.items.length;
}

describe('public routes', () => {
  it('reports health of the store, the workflow engine and the holiday calendars', async () => {
    const response = await t.call('GET', '/health');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok', checks: { store: 'ok', workflow: 'ok', calendar: 'ok' } });
    expect(response.headers.get('x-request-id')).toBeTruthy();
  });

  it('lists the unit directory with the contract fields', async () => {
    const response = await t.call('GET', '/v1/units');
    expect(response.status).toBe(200);
    const kinds = new Set(response.body.items.map((u: any) => u.kind));
    expect(kinds).toEqual(
      new Set(['community', 'street-office', 'district-department', 'city-department', 'district-office', 'city-office', 'joint-conference', 'supervision-centre', 'mediation-committee']),
    );
    expect(response.body.items.find((u: any) => u.id === COMMUNITY)).toEqual(
      expect.objectContaining({ kind: 'community', tier: 0, parent: STREET_OFFICE, district: 'xiling', name: '胜利四路社区' }),
    );
  });

  it('lists categories with their windows in working days', async () => {
    const response = await t.call('GET', '/v1/categories');
    expect(response.status).toBe(200);
    expect(response.body.items.find((c: any) => c.id === 'routine')).toEqual({
      id: 'routine',
      name: expect.any(String),
      nameEn: expect.any(String),
      signOffWorkingDays: 1,
      handlingWorkingDays: 9,
    });
    expect(response.body.items.find((c: any) => c.id === 'laws-and-regulations').handlingWorkingDays).toBe(17.4);
  });

  it('serves an OpenAPI 3.1 document covering every route, generated from the schemas', async () => {
    const response = await t.call('GET', '/v1/openapi.json');
    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe('3.1.0');
    for (const route of ROUTES) {
      expect(response.body.paths[route.path]?.[route.method.toLowerCase()]).toBeDefined();
    }
    const body = response.body.components.schemas.CreateCaseBody;
    expect(body.required).toEqual(expect.arrayContaining(['title', 'description', 'category', 'reportedVia']));
    expect(body.additionalProperties).toBe(false);
    expect(body.properties.category.enum).toContain('road-traffic-accident');
  });
});

describe('intake', () => {
  let created: any;

  it('accepts a case, routes it by category and computes its due dates in working days', async () => {
    const response = await t.call('POST', '/v1/cases', { token: community, body: routineCase });
    expect(response.status).toBe(201);
    created = response.body;
    expect(response.headers.get('location')).toBe(`/v1/cases/${created.id}`);
    expect(created).toEqual(
      expect.objectContaining({
        originUnit: COMMUNITY,
        assignedUnit: STREET_OFFICE,
        firstHandlerUnit: STREET_OFFICE,
        tier: 0,
        status: 'awaiting-sign-off',
        light: 'green',
        createdAt: '2026-03-09T09:00:00.000+08:00',
        // Routine: sign-off within 1 working day, then 9 working days to resolve.
        signOffDueAt: '2026-03-10T09:00:00.000+08:00',
        resolveDueAt: '2026-03-23T09:00:00.000+08:00',
      }),
    );
    expect(created.complainant).toEqual(routineCase.complainant);
    expect(created.timeline).toEqual([expect.objectContaining({ seq: 1, type: 'CASE_ACCEPTED', unit: STREET_OFFICE })]);
  });

  it('reads the case back with its timeline', async () => {
    const response = await t.call('GET', `/v1/cases/${created.id}`, { token: community });
    expect(response.status).toBe(200);
    expect(response.body).toEqual(expect.objectContaining({ id: created.id, signOffDueAt: created.signOffDueAt, resolveDueAt: created.resolveDueAt }));
    expect(response.body.timeline.map((e: any) => e.type)).toEqual(['CASE_ACCEPTED']);
    expect(response.body).not.toHaveProperty('version');
  });

  it("starts the case's workflow, which waits for sign-off", async () => {
    await t.advance(0);
    const response = await t.call('GET', `/v1/cases/${created.id}/execution`, { token: supervisor });
    expect(response.status).toBe(200);
    expect(response.body).toEqual(expect.objectContaining({ status: 'RUNNING', currentState: 'AwaitSignOff' }));
    expect(response.body.executionArn).toMatch(new RegExp(`:execution:case-workflow:${created.id}$`));
  });

  it('lets the community keep a case it handles itself (sign-off implied)', async () => {
    const response = await t.call('POST', '/v1/cases', {
      token: community,
      body: { ...routineCase, category: 'neighbour-family', assignedUnit: COMMUNITY },
    });
    expect(response.status).toBe(201);
    expect(response.body).toEqual(
      expect.objectContaining({
        assignedUnit: COMMUNITY,
        status: 'in-progress',
        signedOffAt: '2026-03-09T09:00:00.000+08:00',
        // Neighbour and family disputes: 5 working days from now.
        resolveDueAt: '2026-03-16T09:00:00.000+08:00',
      }),
    );
    expect(response.body.signOffDueAt).toBeUndefined();
  });

  it('lets the supervision centre accept a case for a named community and assign it', async () => {
    const response = await t.call('POST', '/v1/cases', {
      token: supervisor,
      body: { ...routineCase, category: 'property-management', originUnit: OTHER_COMMUNITY, assignedUnit: HOUSING_BUREAU },
    });
    expect(response.status).toBe(201);
    expect(response.body).toEqual(expect.objectContaining({ originUnit: OTHER_COMMUNITY, assignedUnit: HOUSING_BUREAU, district: 'xiling' }));
  });
});

describe('idempotency', () => {
  it('answers a retry with the same key and body with the first answer, creating nothing new', async () => {
    const before = await caseCount();
    const headers = { 'idempotency-key': 'intake-2026-03-09-0001' };
    const first = await t.call('POST', '/v1/cases', { token: community, body: routineCase, headers });
    expect(first.status).toBe(201);
    // The same body with its keys in another order is the same request.
    const reordered = Object.fromEntries(Object.entries(routineCase).reverse());
    const again = await t.call('POST', '/v1/cases', { token: community, body: reordered, headers });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await caseCount()).toBe(before + 1);
  });

  it('refuses the same key with a different body (409) and writes nothing', async () => {
    const before = await caseCount();
    const headers = { 'idempotency-key': 'intake-2026-03-09-0001' };
    const response = await t.call('POST', '/v1/cases', { token: community, body: { ...routineCase, title: 'Another matter' }, headers });
    expectProblem(response, 409);
    expect(await caseCount()).toBe(before);
  });

  it('keeps keys per unit: another community may use the same key', async () => {
    const other = await t.token(OTHER_COMMUNITY, 'community');
    const response = await t.call('POST', '/v1/cases', { token: other, body: routineCase, headers: { 'idempotency-key': 'intake-2026-03-09-0001' } });
    expect(response.status).toBe(201);
    expect(response.body.originUnit).toBe(OTHER_COMMUNITY);
  });

  it('rejects a malformed key', async () => {
    const response = await t.call('POST', '/v1/cases', { token: community, body: routineCase, headers: { 'idempotency-key': 'has spaces' } });
    expectProblem(response, 400);
    expect(response.body.errors).toEqual([expect.objectContaining({ path: 'Idempotency-Key' })]);
  });
});

describe('bad input changes nothing', () => {
  let before: number;
  beforeAll(async () => {
    before = await caseCount();
  });
  afterAll(async () => {
    expect(await caseCount()).toBe(before);
  });

  it('malformed JSON → 400', async () => {
    expectProblem(await t.call('POST', '/v1/cases', { token: community, rawBody: '{"title": ' }), 400);
  });

  it.each([
    ['an unknown field', { ...routineCase, priority: 'high' }, ''],
    ['a missing title', { ...routineCase, title: undefined }, 'title'],
    ['an over-long title', { ...routineCase, title: 'x'.repeat(201) }, 'title'],
    ['an unknown category', { ...routineCase, category: 'weather' }, 'category'],
    ['an unknown channel', { ...routineCase, reportedVia: 'pigeon' }, 'reportedVia'],
    ['a bad phone number', { ...routineCase, complainant: { name: '张明', phone: '12345' } }, 'complainant.phone'],
    ['an unknown field in complainant', { ...routineCase, complainant: { name: '张明', idCard: '420500' } }, 'complainant'],
    ['a time without offset', { ...routineCase, occurredAt: '2026-03-08T20:00:00' }, 'occurredAt'],
    ['an assigned unit that does not exist', { ...routineCase, assignedUnit: 'city-dept-weather' }, 'assignedUnit'],
    ['an assigned unit reached only by escalation', { ...routineCase, assignedUnit: 'district-office-xiling' }, 'assignedUnit'],
    ['a latitude out of range', { ...routineCase, location: { latitude: 95 } }, 'location.latitude'],
  ])('%s → 400 naming the field', async (_label, body, path) => {
    const response = await t.call('POST', '/v1/cases', { token: community, body });
    expectProblem(response, 400);
    expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path, message: expect.any(String) })]));
  });

  it('a body over 64 KiB → 413', async () => {
    const response = await t.call('POST', '/v1/cases', { token: community, body: { ...routineCase, description: 'x'.repeat(70 * 1024) } });
    expectProblem(response, 413);
  });

  it('no token → 401; a token signed by another key → 401; an expired token → 401', async () => {
    expectProblem(await t.call('POST', '/v1/cases', { body: routineCase }), 401);
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ unit: COMMUNITY, role: 'community' })
      .setProtectedHeader({ alg: 'RS256' })
      .setSubject('x')
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setExpirationTime('1h')
      .sign(privateKey);
    expectProblem(await t.call('POST', '/v1/cases', { token: forged, body: routineCase }), 401);
    expectProblem(await t.call('GET', '/v1/cases', { token: 'not.a.jwt' }), 401);
  });

  it('a token with an unknown role → 401', async () => {
    const token = await t.token(COMMUNITY, 'mayor');
    expectProblem(await t.call('GET', '/v1/cases', { token }), 401);
  });

  it('an agency may not accept cases → 403', async () => {
    const agency = await t.token(HOUSING_BUREAU, 'agency');
    expectProblem(await t.call('POST', '/v1/cases', { token: agency, body: routineCase }), 403);
  });

  it('a community may not accept for another community → 403', async () => {
    expectProblem(await t.call('POST', '/v1/cases', { token: community, body: { ...routineCase, originUnit: OTHER_COMMUNITY } }), 403);
  });

  it('the supervision centre must name the community → 400 on originUnit', async () => {
    const response = await t.call('POST', '/v1/cases', { token: supervisor, body: routineCase });
    expectProblem(response, 400);
    expect(response.body.errors).toEqual([expect.objectContaining({ path: 'originUnit' })]);
  });
});

describe('look-up and listing', () => {
  let caseId: string;
  beforeAll(async () => {
    const response = await t.call('POST', '/v1/cases', { token: community, body: { ...routineCase, category: 'environment-pollution' } });
    caseId = response.body.id;
  });

  it('unknown case → 404; malformed id → 400', async () => {
    expectProblem(await t.call('GET', '/v1/cases/01ARZ3NDEKTSV4RRFFQ69G5FAV', { token: supervisor }), 404);
    const response = await t.call('GET', '/v1/cases/not-an-id', { token: supervisor });
    expectProblem(response, 400);
    expect(response.body.errors[0].path).toBe('id');
  });

  it('a unit with no part in the case → 403', async () => {
    const stranger = await t.token(OTHER_COMMUNITY, 'community');
    expectProblem(await t.call('GET', `/v1/cases/${caseId}`, { token: stranger }), 403);
  });

  it('shows personal data to the units involved and the supervisor, not to auditors', async () => {
    const agency = await t.token('city-dept-environment', 'agency');
    const auditor = await t.token('supervision-centre', 'auditor');
    expect((await t.call('GET', `/v1/cases/${caseId}`, { token: agency })).body.complainant).toEqual(routineCase.complainant);
    expect((await t.call('GET', `/v1/cases/${caseId}`, { token: supervisor })).body.complainant).toEqual(routineCase.complainant);
    const audited = await t.call('GET', `/v1/cases/${caseId}`, { token: auditor });
    expect(audited.status).toBe(200);
    expect(audited.body.complainant).toBeUndefined();
  });

  it('lists what each caller may see', async () => {
    const own = await t.call('GET', '/v1/cases?limit=100', { token: community });
    expect(own.status).toBe(200);
    expect(own.body.items.length).toBeGreaterThan(0);
    expect(own.body.items.every((c: any) => c.originUnit === COMMUNITY)).toBe(true);

    const agency = await t.token('city-dept-environment', 'agency');
    const assigned = await t.call('GET', '/v1/cases', { token: agency });
    expect(assigned.body.items.map((c: any) => c.id)).toEqual([caseId]);

    expectProblem(await t.call('GET', `/v1/cases?unit=${STREET_OFFICE}`, { token: agency }), 403);

    const byUnit = await t.call('GET', `/v1/cases?unit=${STREET_OFFICE}&status=awaiting-sign-off`, { token: supervisor });
    expect(byUnit.body.items.length).toBeGreaterThan(0);
    expect(byUnit.body.items.every((c: any) => c.assignedUnit === STREET_OFFICE && c.status === 'awaiting-sign-off')).toBe(true);

    const open = await t.call('GET', '/v1/cases?limit=100', { token: supervisor });
    const dues = open.body.items.map((c: any) => c.signOffDueAt ?? c.resolveDueAt);
    expect(dues).toEqual([...dues].sort()); // by next deadline
  });

  it('pages with a cursor bound to its query', async () => {
    const first = await t.call('GET', '/v1/cases?month=2026-03&limit=2', { token: supervisor });
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await t.call('GET', `/v1/cases?month=2026-03&limit=2&cursor=${first.body.nextCursor}`, { token: supervisor });
    expect(second.status).toBe(200);
    const firstIds = first.body.items.map((c: any) => c.id);
    expect(second.body.items.every((c: any) => !firstIds.includes(c.id))).toBe(true);

    const reused = await t.call('GET', `/v1/cases?month=2026-04&limit=2&cursor=${first.body.nextCursor}`, { token: supervisor });
    expectProblem(reused, 400);
    expect(reused.body.errors[0].path).toBe('cursor');
  });

  it.each([
    ['status=lost', 'status'],
    ['tier=7', 'tier'],
    ['month=2026-13', 'month'],
    ['limit=0', 'limit'],
    ['limit=1000', 'limit'],
    ['sort=asc', 'sort'],
  ])('rejects ?%s naming the parameter', async (query, path) => {
    const response = await t.call('GET', `/v1/cases?${query}`, { token: supervisor });
    expectProblem(response, 400);
    expect(response.body.errors[0].path).toBe(path);
  });

  it('filters by light as of the virtual clock', async () => {
    const green = await t.call('GET', '/v1/cases?light=green&limit=100', { token: supervisor });
    expect(green.body.items.length).toBeGreaterThan(0);
    expect(green.body.items.every((c: any) => c.light === 'green')).toBe(true);
  });
});
