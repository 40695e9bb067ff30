import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ROUTES, type RouteDefinition } from '../../functions/api/routes';
import { issueOpen311Key } from '../../functions/open311/keys';
import { Open311KeyStore } from '../../functions/store/open311-key-store';
import { startTestStack, type TestStack } from '../support/local-stack';

/*
 * The public surface is safe by construction: every public route in ROUTES — read from ROUTES, so a
 * route added later is walked too — is called about a case full of personal data (the complainant's
 * name, phone, id number and address, the place, a handler's name and phone, progress notes,
 * messages, a supervision record, an Open311 reporter's name, phone and email), in both languages,
 * in JSON and XML where the route speaks both, with good and bad input; no answer, whatever its
 * status, contains any of it.
 */
const COMMUNITY = 'community-xiling-shengli-silu';
const STREET = 'street-xiling-xiling';

/** Each is unique: none can appear in an answer by coincidence (a unit's name, a category). */
const SECRET = {
  name: '欧阳娜娜',
  phone: '13987654321',
  idNumber: '420502199001011234',
  homeAddress: '桃花岭路77号5栋1203室',
  place: '夷陵大道199号3单元门口',
  handlerName: '司马振华',
  handlerPhone: '13611112222',
  signOffNote: '签收备注子丑寅',
  progressNote: '进展备注甲乙丙',
  message: '留言内容丁戊己',
  supervision: '督办意见庚辛壬',
  description: '描述正文卯辰巳',
  outcome: '办理经过午未申',
  reporterFirst: '雨桐',
  reporterLast: '诸葛',
  reporterPhone: '13755556666',
  reporterEmail: 'reporter.secret@example.org',
  reporterText: '开放接口描述酉戌亥',
} as const;

let t: TestStack;
let caseId = '';
let trackingCode = '';
let open311Id = '';
let open311Token = '';
const answers: Array<{ request: string; status: number; text: string }> = [];

beforeAll(async () => {
  t = await startTestStack('public-surface');
  const community = await t.token(COMMUNITY, 'community');
  const street = await t.token(STREET, 'agency');
  const supervisor = await t.token('supervision-centre', 'supervisor');
  const created = await t.call('POST', '/v1/cases', {
    token: community,
    body: {
      title: `${SECRET.name}反映楼道堆物`,
      description: `${SECRET.description}：${SECRET.name}（身份证 ${SECRET.idNumber}，住${SECRET.homeAddress}）反映楼道堆放杂物。`,
      category: 'routine',
      reportedVia: 'visit',
      complainant: { name: SECRET.name, phone: SECRET.phone, address: SECRET.homeAddress },
      location: { address: SECRET.place, latitude: 30.6954, longitude: 111.2865 },
    },
  });
  expect(created.status).toBe(201);
  caseId = created.body.id;
  trackingCode = created.body.trackingCode;
  await t.advance(0);
  // A breach writes a supervision record before the sign-off.
  await t.advance(90_000);
  expect((await t.call('POST', `/v1/cases/${caseId}/sign-off`, { token: street, body: { handler: { name: SECRET.handlerName, phone: SECRET.handlerPhone }, note: SECRET.signOffNote } })).status).toBe(202);
  await t.advance(0);
  expect((await t.call('POST', `/v1/cases/${caseId}/progress`, { token: street, body: { note: SECRET.progressNote } })).status).toBe(201);
  expect((await t.call('POST', `/v1/cases/${caseId}/messages`, { token: street, body: { text: SECRET.message } })).status).toBe(201);
  expect((await t.call('POST', `/v1/cases/${caseId}/supervise`, { token: supervisor, body: { action: 'urge', note: SECRET.supervision } })).status).toBe(202);
  await t.advance(0);
  expect((await t.call('POST', `/v1/cases/${caseId}/resolve`, { token: street, body: { summary: '杂物已清理', outcome: SECRET.outcome } })).status).toBe(202);
  await t.advance(0);

  // An Open311 reporter's own data, on a request of its own.
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const { apiKey } = await issueOpen311Key(new Open311KeyStore(client, process.env.CASES_TABLE as string), COMMUNITY, Date.now());
  client.destroy();
  const posted = await fetch(`${t.url}/open311/v2/requests.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      api_key: apiKey,
      service_code: 'routine',
      description: `${SECRET.reporterText} ${SECRET.idNumber}`,
      address_string: SECRET.place,
      first_name: SECRET.reporterFirst,
      last_name: SECRET.reporterLast,
      phone: SECRET.reporterPhone,
      email: SECRET.reporterEmail,
    }).toString(),
  });
  expect(posted.status).toBe(201);
  [{ service_request_id: open311Id, token: open311Token }] = (await posted.json()) as Array<{ service_request_id: string; token: string }>;

  // The case holds it all: the supervisor's view shows it, so an answer without it proves something.
  const full = JSON.stringify((await t.call('GET', `/v1/cases/${caseId}`, { token: supervisor })).body);
  for (const value of [SECRET.name, SECRET.phone, SECRET.idNumber, SECRET.homeAddress, SECRET.place, SECRET.handlerName, SECRET.progressNote, SECRET.message, SECRET.supervision, SECRET.outcome]) {
    expect(full).toContain(value);
  }
  expect(full).toMatch(/SIGN_OFF_OVERDUE|SUPERVISION/);
}, 120_000);
afterAll(() => t?.stop());

const publicRoutes = ROUTES.filter((route) => route.public);

/** Values for a route's path parameters: the case's, and wrong ones. */
function pathsOf(route: RouteDefinition): string[] {
  const fill = (values: Record<string, string>) => route.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? caseId));
  if (!route.path.includes('{')) return [route.path];
  const fileFor = (format: string) =>
    route.path.includes('/services/') ? `routine.${format}` : route.path.includes('/tokens/') ? `${open311Token}.${format}` : `${route.path.includes('/requests/') ? open311Id : caseId}.${format}`;
  const variants: Array<Record<string, string>> = [
    { code: trackingCode, id: caseId, file: fileFor('json'), unit: COMMUNITY },
    { code: trackingCode.toLowerCase(), id: caseId, file: fileFor('xml'), unit: COMMUNITY },
    { code: 'ZZZZ-ZZZZ-Z', id: '01ARZ3NDEKTSV4RRFFQ69G5FAV', file: `${caseId}.json`, unit: 'nobody' },
  ];
  if (route.path.includes('/requests/')) variants.push({ file: `${caseId}.xml` });
  return [...new Set(variants.map(fill))];
}

/** Bodies a public POST gets: empty, a guess, the case's own data thrown back (echoing input is a leak too). */
const bodiesOf = (route: RouteDefinition): Array<{ type: string; body: string } | undefined> =>
  route.method === 'GET'
    ? [undefined]
    : [
        { type: 'application/json', body: '{}' },
        { type: 'application/json', body: JSON.stringify({ pin: '000000', rating: 'satisfied', reason: '无', comment: '无' }) },
        { type: 'application/x-www-form-urlencoded', body: new URLSearchParams({ api_key: 'o311_wrong', service_code: 'routine', description: SECRET.name, phone: SECRET.phone }).toString() },
        { type: 'application/x-www-form-urlencoded', body: new URLSearchParams({ service_code: 'nope', description: 'x', lat: '99' }).toString() },
      ];

const queriesOf = (route: RouteDefinition): string[] =>
  route.method === 'GET' ? ['', `?service_request_id=${caseId},${open311Id}`, `?service_code=routine&status=open,closed`] : [''];

describe.each(publicRoutes.map((route) => [`${route.method} ${route.path}`, route] as const))('%s', (_name, route) => {
  it('answers nothing personal, in either language, whatever it is asked', async () => {
    for (const path of pathsOf(route)) {
      for (const query of queriesOf(route)) {
        for (const body of bodiesOf(route)) {
          for (const language of ['zh-CN', 'en']) {
            const response = await fetch(`${t.url}${path}${query}`, {
              method: route.method,
              headers: { 'accept-language': language, ...(body ? { 'content-type': body.type } : {}) },
              ...(body ? { body: body.body } : {}),
            });
            const text = await response.text();
            answers.push({ request: `${route.method} ${path}${query} ${body?.body ?? ''}`, status: response.status, text });
            const found = Object.entries(SECRET).filter(([, value]) => text.includes(value)).map(([key]) => key);
            expect({ request: `${route.method} ${path}${query}`, status: response.status, found }).toEqual({ request: `${route.method} ${path}${query}`, status: response.status, found: [] });
          }
        }
      }
    }
  });
});

it('walked every public route, and each readable one answered with data at least once', () => {
  for (const route of publicRoutes) {
    const mine = answers.filter((a) => a.request.startsWith(`${route.method} `) && new RegExp(`^${route.method} ${route.path.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/?]+')}[? ]`).test(a.request));
    expect({ route: route.path, called: mine.length > 0 }).toEqual({ route: route.path, called: true });
    if (route.method === 'GET') expect({ route: route.path, ok: mine.some((a) => a.status === 200) }).toEqual({ route: route.path, ok: true });
  }
});
