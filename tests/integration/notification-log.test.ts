import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { dynamoDbClient, ensureCasesTable } from '../../local/dynamodb';
import type { ApiEvent } from '../../functions/commons/http';
import type { Notification } from '../../functions/domain/notifications/rules';
import { NotificationLogStore } from '../../functions/store/notification-log-store';
import { LoggedSender } from '../../functions/notify/logged-sender';
import type { SmsMessage, SmsProvider } from '../../functions/notify/sms';
import { useNotificationLog } from '../../functions/notify/sender';
import { handler as listNotifications } from '../../functions/api/list-notifications';
import type { CaseRecord, TimelineEvent } from '../../functions/domain/case';
import { defaultDirectory } from '../../functions/domain/directory';
import { defaultContacts } from '../../functions/domain/notifications/contacts';
import { dispatchCase } from '../../functions/notify/dispatcher';

/*
 * The notification log as it runs in AWS, on DynamoDB Local: each id logged and sent once,
 * quiet hours held and sent by the sweep, webhook calls retried with back-off and parked, a send
 * a crash left unsettled taken up again, and GET /v1/notifications reading the log.
 */
const TABLE = 'notification-log-test';
const client = DynamoDBDocumentClient.from(dynamoDbClient(process.env.AWS_ENDPOINT_URL_DYNAMODB!), { marshallOptions: { removeUndefinedValues: true } });
const log = new NotificationLogStore(client, TABLE);
let nowMs = Date.parse('2026-03-09T01:00:00Z');
const sent: SmsMessage[] = [];
let smsAnswer: (message: SmsMessage) => Promise<Awaited<ReturnType<SmsProvider['send']>>> = async () => ({ status: 'sent' });
const sms: SmsProvider = { send: async (message) => (sent.push(message), smsAnswer(message)) };
const sender = new LoggedSender({ log, sms, now: () => nowMs, webhookAttempts: 3, webhookBackoffMs: 60_000, webhookTimeoutMs: 2000 });

let server: Server;
let hookStatus = 500;
const hookCalls: string[] = [];
beforeAll(async () => {
  await ensureCasesTable(dynamoDbClient(process.env.AWS_ENDPOINT_URL_DYNAMODB!), TABLE);
  server = createServer((req, res) => {
    hookCalls.push(String(req.headers['x-notification-id']));
    req.resume();
    req.on('end', () => res.writeHead(hookStatus).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  client.destroy();
});

let serial = 0;
const CASE = '01KBCDEFGHJKMNPQRSTVWXYZ00';
function notification(fields: Partial<Notification> = {}): Notification {
  serial += 1;
  const channel = fields.channel ?? 'sms';
  const to = fields.to ?? '13900000001';
  return {
    id: `${CASE}:${serial}:NEW_CASE:street-xiling-xiling:${channel}:${to}`,
    caseId: CASE,
    seq: serial,
    cause: 'CASE_ACCEPTED',
    code: 'NEW_CASE',
    channel,
    to,
    unit: 'street-xiling-xiling',
    urgent: false,
    notBeforeMs: nowMs,
    text: '新事项：楼道堆放杂物',
    textEn: 'New case: clutter in the stairwell',
    subject: '楼道堆放杂物',
    ...fields,
  };
}

it('logs and sends an id once, however often and however concurrently it is delivered', async () => {
  const one = notification();
  const results = await Promise.all([sender.deliver(one), sender.deliver(one), sender.deliver(one)]);
  expect(results.map((r) => r.status).sort()).toEqual(['duplicate', 'duplicate', 'sent']);
  expect(await sender.deliver(one)).toEqual({ status: 'duplicate' });
  expect(sent.filter((m) => m.reference === one.id)).toHaveLength(1);
  expect(await log.get(CASE, one.id)).toMatchObject({ status: 'sent', attempts: 1 });
  expect((await log.get(CASE, one.id))!.dueAt).toBeUndefined();
});

it('records a number the provider refuses, and goes on', async () => {
  smsAnswer = async (m) => ({ status: 'refused', reason: `the provider refused the number ${m.to}` });
  const bad = notification({ to: '13900000009' });
  expect(await sender.deliver(bad)).toMatchObject({ status: 'refused' });
  expect(await log.get(CASE, bad.id)).toMatchObject({ status: 'refused', reason: 'the provider refused the number 13900000009' });
  smsAnswer = async () => ({ status: 'sent' });
});

it('holds a message through quiet hours and the sweep sends it when they end, once', async () => {
  const quiet = notification({ notBeforeMs: nowMs + 3600_000 });
  expect(await sender.deliver(quiet)).toEqual({ status: 'pending' });
  expect(sent.some((m) => m.reference === quiet.id)).toBe(false);
  await sender.sweep();
  expect(sent.some((m) => m.reference === quiet.id)).toBe(false);
  nowMs += 3600_000;
  await Promise.all([sender.sweep(), sender.sweep()]);
  await sender.sweep();
  expect(sent.filter((m) => m.reference === quiet.id)).toHaveLength(1);
  expect(await log.get(CASE, quiet.id)).toMatchObject({ status: 'sent', heldUntil: new Date(nowMs).toISOString() });
});

it('takes up again a send a crash left unsettled, once its lease runs out', async () => {
  // The function dies mid-send: the provider has it, and never answers. The record is written before the send begins.
  let sending!: () => void;
  const begun = new Promise<void>((resolve) => (sending = resolve));
  smsAnswer = () => (sending(), new Promise(() => undefined));
  const cut = notification();
  void sender.deliver(cut);
  await begun;
  smsAnswer = async () => ({ status: 'sent' });
  await sender.sweep();
  expect(await log.get(CASE, cut.id)).toMatchObject({ status: 'pending' });
  nowMs += 5 * 60_000;
  await sender.sweep();
  expect(await log.get(CASE, cut.id)).toMatchObject({ status: 'sent' });
});

it('calls a webhook from the sweep, never inline; retries with doubling back-off, then parks it with the reason', async () => {
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  const hook = notification({ channel: 'webhook', to: url, urgent: true });
  expect(await sender.deliver(hook)).toEqual({ status: 'pending' });
  expect(hookCalls).toEqual([]);
  await sender.sweep();
  expect(hookCalls).toEqual([hook.id]);
  expect(await log.get(CASE, hook.id)).toMatchObject({ status: 'pending', attempts: 1, reason: 'answered 500', dueAt: new Date(nowMs + 60_000).toISOString() });
  nowMs += 60_000;
  await sender.sweep();
  expect(await log.get(CASE, hook.id)).toMatchObject({ attempts: 2, dueAt: new Date(nowMs + 120_000).toISOString() });
  nowMs += 120_000;
  await sender.sweep();
  expect(hookCalls).toHaveLength(3);
  expect(await log.get(CASE, hook.id)).toMatchObject({ status: 'parked', reason: 'answered 500, after 3 attempts' });
  nowMs += 3600_000;
  await sender.sweep();
  expect(hookCalls).toHaveLength(3);

  hookStatus = 204;
  const ok = notification({ channel: 'webhook', to: url });
  await sender.deliver(ok);
  await sender.sweep();
  expect(await log.get(CASE, ok.id)).toMatchObject({ status: 'sent', attempts: 1 });
});

it('dispatches a case’s timeline through the log: SMS and webhook once per id however often the timeline is dispatched, no email (the SNS subscriptions’)', async () => {
  const STREET = 'street-xiling-xiling';
  const record = {
    id: '01KBCDEFGHJKMNPQRSTVWXYZ01',
    title: '楼道堆放杂物',
    originUnit: 'community-xiling-shengli-silu',
    assignedUnit: STREET,
    involvedUnits: [STREET],
    district: 'xiling',
    signOffDueAt: '2026-03-10T01:00:00.000Z',
    resolveDueAt: '2026-03-16T01:00:00.000Z',
    trackingCode: 'K7Q2-M9XD-4',
    complainant: { name: '张明', phone: '13800138000' },
  } as unknown as CaseRecord;
  const at = new Date(nowMs).toISOString();
  const timeline: TimelineEvent[] = [
    { seq: 1, at, type: 'CASE_ACCEPTED', unit: STREET, data: { keptInCommunity: false } },
    { seq: 2, at, type: 'SIGN_OFF_OVERDUE', unit: STREET, data: { alert: true } },
  ];
  const ctx = { directory: defaultDirectory, contacts: defaultContacts() };
  const before = sent.length;
  const first = await dispatchCase(record, timeline, ctx, sender);
  expect(first.results.some(({ notification }) => notification.channel === 'email')).toBe(false);
  const smsIds = first.results.filter(({ notification }) => notification.channel === 'sms').map(({ notification }) => notification.id);
  expect(smsIds.length).toBeGreaterThanOrEqual(3); // the street office's new case and breach, the supervision centre's breach, the complainant's acceptance
  expect(smsIds).toContain(`${record.id}:COMPLAINANT_ACCEPTED:complainant:sms`);
  const again = await Promise.all([dispatchCase(record, timeline, ctx, sender), dispatchCase(record, timeline, ctx, sender)]);
  for (const summary of again) expect(new Set(summary.results.map(({ result }) => result.status))).toEqual(new Set(['duplicate']));
  expect(sent.slice(before).map((m) => m.reference).sort()).toEqual([...smsIds].sort());
});

describe('GET /v1/notifications in AWS', () => {
  const call = async (query: Record<string, string>, claims: Record<string, string>, lang = 'zh-CN') => {
    const result = await listNotifications(
      {
        routeKey: 'GET /v1/notifications',
        rawPath: '/v1/notifications',
        headers: { 'accept-language': lang },
        queryStringParameters: query,
        isBase64Encoded: false,
        requestContext: { requestId: 'r1', authorizer: { jwt: { claims: { sub: 'p', ...claims }, scopes: [] } } },
      } as unknown as ApiEvent,
      {} as Context,
    );
    return { status: result.statusCode, body: JSON.parse(result.body as string) };
  };
  beforeAll(() => useNotificationLog(log));
  afterAll(() => useNotificationLog(undefined));

  it('reads the unit’s own, newest first, a page at a time, in the caller’s language; parked ones for operators', async () => {
    const street = { unit: 'street-xiling-xiling', role: 'agency' };
    const first = await call({ limit: '2' }, street);
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    const ats = first.body.items.map((i: { at: string }) => i.at);
    expect([...ats].sort().reverse()).toEqual(ats);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await call({ limit: '2', cursor: first.body.nextCursor }, street, 'en');
    expect(second.body.items[0].text).toBe('New case: clutter in the stairwell');
    expect(second.body.items.map((i: { id: string }) => i.id)).not.toContain(first.body.items[0].id);
    expect((await call({ cursor: 'bm90LWEtY3Vyc29y' }, street)).status).toBe(400);
    expect((await call({ unit: 'community-xiling-shengli-silu' }, street)).status).toBe(403);
    const parked = await call({ status: 'parked' }, { unit: 'supervision-centre', role: 'operator' });
    expect(parked.body.items.map((i: { status: string; reason: string }) => [i.status, i.reason])).toEqual([['parked', 'answered 500, after 3 attempts']]);
  });
});
