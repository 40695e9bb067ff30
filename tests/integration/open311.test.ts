import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { dirname } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { startTestStack, type TestStack } from '../support/local-stack';
import { readXml, violations, type SchemaName } from '../support/open311-schemas';
import { issueOpen311Key } from '../../functions/open311/keys';
import { Open311KeyStore, hashOfKey } from '../../functions/store/open311-key-store';
import { CATEGORIES } from '../../functions/domain/categories';

/*
 * An Open311 GeoReport v2 client against the local stack, in JSON and XML: discovery, services,
 * a service definition, posting requests with an api_key (form-encoded as the spec sends them, and
 * as JSON), finding them by id, by token and by date range, following a case to closed. Every
 * answer — errors included — is checked against schemas written from the spec's text, and each
 * XML answer against its JSON twin. Bad input gets the spec's errors and stores nothing.
 */
const COMMUNITY = 'community-xiling-shengli-silu';
const STREET = 'street-xiling-xiling';

let t: TestStack;
let ddb: DynamoDBDocumentClient;
let tableName: string;
let communityKey: string;
let hotlineKey: string;

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

async function o311(method: 'GET' | 'POST', path: string, options: { form?: Record<string, string>; json?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
  const body = options.form ? new URLSearchParams(options.form).toString() : options.json !== undefined ? JSON.stringify(options.json) : undefined;
  const response = await fetch(`${t.url}/open311/v2/${path}`, {
    method,
    headers: {
      ...(options.form ? { 'content-type': 'application/x-www-form-urlencoded' } : options.json !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(body !== undefined ? { body } : {}),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** The answer as JSON, valid against `schema` (or the spec's errors when it is a 4xx). */
function json(answer: Answer, schema: SchemaName): any {
  expect(answer.headers.get('content-type')).toMatch(/^application\/json; charset=utf-8/);
  expect(answer.headers.get('access-control-allow-origin')).toBe('*');
  const value = JSON.parse(answer.text);
  expect(violations(answer.status >= 400 ? 'errors' : schema, value)).toEqual([]);
  if (answer.status >= 400) expect(value[0].code).toBe(answer.status);
  return value;
}

/** The answer as XML: well formed, with the declaration, valid against `schema` once read back. */
function xml(answer: Answer, schema: SchemaName): any {
  expect(answer.headers.get('content-type')).toMatch(/^text\/xml; charset=utf-8/);
  expect(answer.headers.get('access-control-allow-origin')).toBe('*');
  const name = answer.status >= 400 ? 'errors' : schema;
  const parsed = readXml(name, answer.text);
  expect(parsed.declaration).toBe(true);
  expect(violations(name, parsed.value)).toEqual([]);
  return parsed.value;
}

/** The same resource in both formats: each valid, and saying the same thing. */
async function both(path: string, schema: SchemaName, headers: Record<string, string> = {}): Promise<{ status: number; value: any }> {
  const [resource, query = ''] = path.split('?');
  const withQuery = (format: string) => `${resource}.${format}${query ? `?${query}` : ''}`;
  const [asJson, asXml] = await Promise.all([o311('GET', withQuery('json'), { headers }), o311('GET', withQuery('xml'), { headers })]);
  expect(asXml.status).toBe(asJson.status);
  const value = json(asJson, schema);
  expect(xml(asXml, schema)).toEqual(value);
  return { status: asJson.status, value };
}


async function tableItems(): Promise<string[]> {
  const keys: string[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await ddb.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey }));
    // Budget counters are not data.
    keys.push(...(page.Items ?? []).map((item) => `${item.pk} ${item.sk}`).filter((key) => !key.startsWith('BUDGET#')));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return keys.sort();
}

beforeAll(async () => {
  t = await startTestStack('open311');
  tableName = process.env.CASES_TABLE as string;
  ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const store = new Open311KeyStore(ddb, tableName);
  communityKey = (await issueOpen311Key(store, COMMUNITY, Date.now(), 'test client')).apiKey;
  hotlineKey = (await issueOpen311Key(store, 'supervision-centre', Date.now())).apiKey;
}, 60_000);
afterAll(async () => {
  ddb?.destroy();
  await t?.stop();
});

const report = {
  service_code: 'routine',
  description: '3 号楼楼道堆放杂物，影响消防通道。',
  lat: '30.6954',
  long: '111.2865',
  first_name: '秀兰',
  last_name: '王',
  phone: '13912345678',
  email: 'wang@example.org',
};

describe('a GeoReport v2 client', () => {
  it('discovers the endpoint and lists the categories as services, in JSON and XML', async () => {
    const discovery = await both('discovery', 'discovery');
    expect(discovery.status).toBe(200);
    expect(discovery.value.endpoints[0].url).toBe(`${t.url}/open311/v2`);

    const services = await both('services', 'services');
    expect(services.value.map((s: { service_code: string }) => s.service_code)).toEqual(CATEGORIES.map((c) => c.id));
    expect(services.value[2]).toEqual(expect.objectContaining({ service_code: 'routine', service_name: CATEGORIES[2].name, metadata: true, type: 'realtime' }));
    const english = await both('services', 'services', { 'accept-language': 'en' });
    expect(english.value[2].service_name).toBe(CATEGORIES[2].nameEn);

    const definition = await both('services/routine', 'service_definition');
    expect(definition.value.service_code).toBe('routine');
    const community = definition.value.attributes.find((a: { code: string }) => a.code === 'community');
    expect(community.values.map((v: { key: string }) => v.key)).toContain(COMMUNITY);

    const unknown = await both('services/no-such-service', 'service_definition');
    expect(unknown.status).toBe(404);
  });

  it('posts a request with a community key (form-encoded, as the spec sends it), then finds it by id, by token and by date range', async () => {
    const posted = await o311('POST', 'requests.json', { form: { api_key: communityKey, ...report } });
    expect(posted.status).toBe(201);
    const [created] = json(posted, 'created');
    const id: string = created.service_request_id;
    expect(created.service_notice).toContain('西陵街道办事处');
    expect(created.service_notice).toContain('北京时间');

    // The case is the community's own, made as POST /v1/cases makes it: routed, with a tracking code and its workflow.
    const community = await t.token(COMMUNITY, 'community');
    const kase = await t.call('GET', `/v1/cases/${id}`, { token: community });
    expect(kase.status).toBe(200);
    expect(kase.body).toEqual(
      expect.objectContaining({
        originUnit: COMMUNITY,
        assignedUnit: STREET,
        category: 'routine',
        reportedVia: 'web',
        status: 'awaiting-sign-off',
        description: report.description,
        complainant: { name: '王秀兰', phone: report.phone },
        location: { latitude: 30.6954, longitude: 111.2865 },
        trackingCode: expect.any(String),
      }),
    );
    await t.advance(0);
    const execution = await t.call('GET', `/v1/cases/${id}/execution`, { token: await t.token('supervision-centre', 'supervisor') });
    expect(execution.body.status).toBe('RUNNING');

    const one = await both(`requests/${id}`, 'service_requests');
    expect(one.value).toEqual([
      expect.objectContaining({
        service_request_id: id,
        status: 'open',
        service_code: 'routine',
        agency_responsible: '西陵街道办事处',
        requested_datetime: kase.body.createdAt,
        expected_datetime: kase.body.resolveDueAt,
      }),
    ]);
    expect(one.value[0].service_notice).toContain('办理期限');

    const byToken = await both(`tokens/${created.token}`, 'tokens');
    expect(byToken.value).toEqual([{ service_request_id: id, token: created.token }]);

    const start = new Date(Date.parse(kase.body.createdAt) - 60_000).toISOString();
    const end = new Date(Date.parse(kase.body.createdAt) + 60_000).toISOString();
    const inRange = await both(`requests?start_date=${encodeURIComponent(start)}&end_date=${encodeURIComponent(end)}`, 'service_requests');
    expect(inRange.value.map((r: { service_request_id: string }) => r.service_request_id)).toContain(id);
    const before = await both(`requests?end_date=${encodeURIComponent(start)}`, 'service_requests');
    expect(before.value.map((r: { service_request_id: string }) => r.service_request_id)).not.toContain(id);
    const byId = await both(`requests?service_request_id=${id},01ARZ3NDEKTSV4RRFFQ69G5FAV`, 'service_requests');
    expect(byId.value.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([id]);
    const otherService = await both(`requests?service_code=labour-wages&start_date=${encodeURIComponent(start)}&end_date=${encodeURIComponent(end)}`, 'service_requests');
    expect(otherService.value.map((r: { service_request_id: string }) => r.service_request_id)).not.toContain(id);
    const closedOnly = await both(`requests?status=closed&start_date=${encodeURIComponent(start)}&end_date=${encodeURIComponent(end)}`, 'service_requests');
    expect(closedOnly.value.map((r: { service_request_id: string }) => r.service_request_id)).not.toContain(id);

    // Nothing personal and nothing the public may not read: only the spec's fields, none of them the description.
    const everything = JSON.stringify([one.value, inRange.value]);
    for (const secret of ['王秀兰', report.phone, report.email, '楼道堆放杂物', '30.6954', kase.body.trackingCode]) expect(everything).not.toContain(secret);
  });

  it('follows a request to closed: status, status notes and the responsible unit as the case moves', async () => {
    const posted = json(await o311('POST', 'requests.xml'.replace('.xml', '.json'), { form: { api_key: communityKey, service_code: 'routine', description: '路灯不亮', address_string: '胜利四路 8 号' } }), 'created');
    const id: string = posted[0].service_request_id;
    const street = await t.token(STREET, 'agency');
    const community = await t.token(COMMUNITY, 'community');
    await t.advance(0);
    expect((await t.call('POST', `/v1/cases/${id}/sign-off`, { token: street, body: { handler: { name: '李娟', phone: '13700002222' } } })).status).toBe(202);
    await t.advance(0);
    expect((await t.call('POST', `/v1/cases/${id}/resolve`, { token: street, body: { summary: '路灯已修复', outcome: '更换灯泡' } })).status).toBe(202);
    await t.advance(0);
    const resolved = await both(`requests/${id}`, 'service_requests');
    expect(resolved.value[0]).toEqual(expect.objectContaining({ status: 'open', status_notes: expect.stringContaining('路灯已修复') }));
    expect((await t.call('POST', `/v1/cases/${id}/evaluate`, { token: community, body: { rating: 'satisfied' } })).status).toBe(202);
    await t.advance(0);
    const closed = await both(`requests/${id}`, 'service_requests', { 'accept-language': 'en' });
    expect(closed.value[0]).toEqual(expect.objectContaining({ status: 'closed', agency_responsible: 'Xiling Street Office', status_notes: expect.stringContaining('Closed') }));
    expect(closed.value[0].expected_datetime).toBeUndefined();
    const text = JSON.stringify(closed.value);
    for (const secret of ['李娟', '13700002222', '更换灯泡', '胜利四路']) expect(text).not.toContain(secret);
  });

  it('takes JSON posted to the XML resource and a form posted to the JSON one: the answer follows the resource', async () => {
    const asXml = await o311('POST', 'requests.xml', { json: { api_key: communityKey, service_code: 'neighbour-family', description: '邻里噪音纠纷', lat: 30.7, long: 111.29 } });
    expect(asXml.status).toBe(201);
    const [created] = xml(asXml, 'created');
    const asJson = await o311('POST', 'requests.json', { form: { api_key: communityKey, service_code: 'neighbour-family', description: '邻里噪音纠纷', address_string: '胜利四路' } });
    expect(asJson.status).toBe(201);
    expect((await both(`requests/${created.service_request_id}`, 'service_requests')).value[0].service_code).toBe('neighbour-family');
  });

  it("the city hotline's key posts for the community named in attribute[community], and needs one", async () => {
    const posted = await o311('POST', 'requests.json', { form: { api_key: hotlineKey, service_code: 'routine', description: '热线来电：路面坑洼', address_string: '五一广场', 'attribute[community]': COMMUNITY } });
    expect(posted.status).toBe(201);
    const [created] = json(posted, 'created');
    const kase = await t.call('GET', `/v1/cases/${created.service_request_id}`, { token: await t.token('supervision-centre', 'supervisor') });
    expect(kase.body.originUnit).toBe(COMMUNITY);
  });
});

describe('bad input gets the spec’s errors and stores nothing', () => {
  const cases: Array<{ label: string; fields: Record<string, string>; status: number; says: RegExp }> = [
    { label: 'no api_key', fields: { ...report }, status: 400, says: /api_key/ },
    { label: 'an api_key never issued', fields: { ...report, api_key: 'o311_' + 'x'.repeat(43) }, status: 403, says: /api_key/ },
    { label: 'an api_key of the wrong shape', fields: { ...report, api_key: 'letmein' }, status: 403, says: /api_key/ },
    { label: 'an unknown service_code', fields: { ...report, api_key: 'KEY', service_code: 'potholes' }, status: 400, says: /potholes/ },
    { label: 'no service_code', fields: { ...report, api_key: 'KEY', service_code: '' }, status: 400, says: /service_code/ },
    { label: 'neither a location nor an address', fields: { api_key: 'KEY', service_code: 'routine', description: '楼道堆放杂物' }, status: 400, says: /lat/ },
    { label: 'only address_id', fields: { api_key: 'KEY', service_code: 'routine', description: '楼道堆放杂物', address_id: '123' }, status: 400, says: /address_id/ },
    { label: 'lat out of range', fields: { ...report, api_key: 'KEY', lat: '91' }, status: 400, says: /lat/ },
    { label: 'long out of range', fields: { ...report, api_key: 'KEY', long: '-180.5' }, status: 400, says: /long/ },
    { label: 'lat that is not a number', fields: { ...report, api_key: 'KEY', lat: '30,69' }, status: 400, says: /lat/ },
    { label: 'lat without long', fields: { api_key: 'KEY', service_code: 'routine', description: 'x', lat: '30.1' }, status: 400, says: /long/ },
    { label: 'no description', fields: { ...report, api_key: 'KEY', description: ' ' }, status: 400, says: /description/ },
    { label: 'a phone that is not one', fields: { ...report, api_key: 'KEY', phone: '12345' }, status: 400, says: /phone/ },
    { label: 'a phone without a name', fields: { api_key: 'KEY', service_code: 'routine', description: 'x', address_string: 'y', phone: '13912345678' }, status: 400, says: /first_name/ },
    { label: 'an email that is not one', fields: { ...report, api_key: 'KEY', email: 'nobody' }, status: 400, says: /email/ },
    { label: 'a media_url that is not a URL', fields: { ...report, api_key: 'KEY', media_url: 'javascript:alert(1)' }, status: 400, says: /media_url/ },
    { label: 'a description too long for intake', fields: { ...report, api_key: 'KEY', description: '长'.repeat(5000) }, status: 400, says: /description/ },
    { label: "the hotline's key without a community", fields: { ...report, api_key: 'HOTLINE' }, status: 400, says: /attribute\[community\]/ },
    { label: "the hotline's key naming a street office", fields: { ...report, api_key: 'HOTLINE', 'attribute[community]': STREET }, status: 400, says: /attribute\[community\]/ },
  ];

  it.each(cases)('$label: $status', async ({ fields, status, says }) => {
    const withKey = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v === 'KEY' ? communityKey : v === 'HOTLINE' ? hotlineKey : v]));
    const before = await tableItems();
    for (const format of ['json', 'xml'] as const) {
      const answer = await o311('POST', `requests.${format}`, { form: withKey, headers: { 'accept-language': 'en' } });
      expect(answer.status).toBe(status);
      const [error] = format === 'json' ? json(answer, 'created') : xml(answer, 'created');
      expect(error.description).toMatch(says);
    }
    // The same in Chinese, the default.
    const chinese = json(await o311('POST', 'requests.json', { form: withKey }), 'created');
    expect(chinese[0].description).toMatch(/[\u4e00-\u9fff]/);
    expect(await tableItems()).toEqual(before);
  });

  it('a body that is neither a form nor a JSON object, unknown requests and tokens, bad filters: the spec’s errors', async () => {
    const before = await tableItems();
    expect((await o311('POST', 'requests.json', { headers: { 'content-type': 'text/plain' } })).status).toBe(415);
    expect(json(await o311('POST', 'requests.json', { json: [1, 2] }), 'created')[0].code).toBe(400);
    for (const [path, status] of [
      ['requests/01ARZ3NDEKTSV4RRFFQ69G5FAV', 404],
      ['requests/not-an-id', 404],
      ['tokens/00000000000000000000000000000000', 404],
      ['requests?start_date=yesterday', 400],
      ['requests?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z', 400],
      ['requests?status=pending', 400],
      ['requests?service_code=potholes', 400],
    ] as const) {
      expect((await both(path, 'service_requests')).status).toBe(status);
    }
    expect(json(await o311('GET', 'requests/01ARZ3NDEKTSV4RRFFQ69G5FAV.html'), 'service_requests')[0].code).toBe(404);
    expect(await tableItems()).toEqual(before);
  });
});

describe('keys', () => {
  it('are stored as hashes only, go only to units that accept cases, and the CLI issues them over the same function', async () => {
    const items = await tableItems();
    expect(items).toContain(`OPEN311KEY#${hashOfKey(communityKey)} OPEN311KEY`);
    expect(items.join('\n')).not.toContain(communityKey);
    await expect(issueOpen311Key(new Open311KeyStore(ddb, tableName), STREET, Date.now())).rejects.toThrow(/does not accept cases/);

    const run = promisify(execFile);
    const cli = (args: string[]) => run(process.execPath, ['--import', 'tsx', 'scripts/open311-key.ts', ...args], { env: process.env, cwd: process.cwd() });
    const { stdout } = await cli(['--unit', COMMUNITY, '--aws', '--table', tableName, '--label', 'cli']);
    const key = stdout.trim();
    expect(key).toMatch(/^o311_[A-Za-z0-9_-]{43}$/);
    expect((await o311('POST', 'requests.json', { form: { ...report, api_key: key } })).status).toBe(201);
    await expect(cli(['--unit', STREET, '--aws', '--table', tableName])).rejects.toThrow(/does not accept cases/);
    // Without --aws it finds the local stack as npm start leaves it: its data folder's credentials and DynamoDB.
    const local = await run(process.execPath, ['--import', 'tsx', 'scripts/open311-key.ts', '--unit', 'supervision-centre'], {
      env: { PATH: process.env.PATH, LOCAL_DATA_DIR: dirname(t.stateDir), DYNAMODB_ENDPOINT: process.env.AWS_ENDPOINT_URL_DYNAMODB, CASES_TABLE: tableName },
      cwd: process.cwd(),
    });
    expect((await o311('POST', 'requests.json', { form: { ...report, api_key: local.stdout.trim(), 'attribute[community]': COMMUNITY } })).status).toBe(201);
    expect((await cli(['--revoke', key, '--aws', '--table', tableName])).stdout).toBe('revoked\n');
    expect((await o311('POST', 'requests.json', { form: { ...report, api_key: key } })).status).toBe(403);
  }, 60_000);
});
