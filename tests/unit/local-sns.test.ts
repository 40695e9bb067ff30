import { createServer, type Server } from 'node:http';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalSns, describeAlert } from '../../local/sns';

/** The local SNS: keeps every alert, prints it, and delivers it to HTTP subscribers with retries. */
const alert = (type: string, tier: number) => ({
  TopicArn: 'arn:aws:sns:cn-north-1:000000000000:alerts',
  Message: JSON.stringify({ type, caseId: 'C1', unit: 'street-xiling-xiling', tier, dueAt: null, at: '2026-03-10T09:00:00.000+08:00', detail: 'late' }),
  MessageAttributes: { type: { DataType: 'String', StringValue: type }, tier: { DataType: 'Number', StringValue: String(tier) } },
});

let server: Server;
let url: string;
const received: Array<{ type: string }> = [];
let failuresLeft = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        res.writeHead(500).end();
        return;
      }
      received.push(JSON.parse(body));
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/alerts`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  received.length = 0;
});

it('delivers to a subscriber, retrying until it answers, and prints one readable line', async () => {
  const lines: string[] = [];
  const sns = new LocalSns({ file: join(await mkdtemp(join(tmpdir(), 'sns-')), 'alerts.jsonl'), subscribers: [{ url }], now: () => 0, print: (l) => lines.push(l), retryDelayMs: 5 });
  await sns.open();
  failuresLeft = 2;
  const { MessageId } = await sns.publish(alert('SIGN_OFF_OVERDUE', 0));
  await sns.settled();
  expect(MessageId).toEqual(expect.any(String));
  expect(received).toEqual([expect.objectContaining({ type: 'SIGN_OFF_OVERDUE', caseId: 'C1' })]);
  expect(lines).toEqual(['alert  SIGN_OFF_OVERDUE case C1 · street-xiling-xiling · tier 0 · late']);
});

it('applies the subscriber filter on message attributes', async () => {
  const sns = new LocalSns({
    file: join(await mkdtemp(join(tmpdir(), 'sns-')), 'alerts.jsonl'),
    subscribers: [{ url, filter: { type: ['CONFERENCE_REQUIRED'] } }],
    now: () => 0,
    retryDelayMs: 5,
  });
  await sns.open();
  await sns.publish(alert('SIGN_OFF_WARNING', 0));
  await sns.publish(alert('CONFERENCE_REQUIRED', 3));
  await sns.settled();
  expect(received.map((m) => m.type)).toEqual(['CONFERENCE_REQUIRED']);
});

it('keeps the alerts across a restart and lists them by case and type', async () => {
  const file = join(await mkdtemp(join(tmpdir(), 'sns-')), 'alerts.jsonl');
  const first = new LocalSns({ file, subscribers: [], now: () => 0 });
  await first.open();
  await first.publish(alert('SIGN_OFF_WARNING', 0));
  await first.publish(alert('SIGN_OFF_OVERDUE', 0));
  const reopened = new LocalSns({ file, subscribers: [], now: () => 0 });
  await reopened.open();
  expect((await reopened.list({ caseId: 'C1' })).map((m) => (m.message as { type: string }).type)).toEqual(['SIGN_OFF_WARNING', 'SIGN_OFF_OVERDUE']);
  expect(await reopened.list({ type: 'SIGN_OFF_OVERDUE' })).toHaveLength(1);
  expect(await reopened.list({ caseId: 'C2' })).toEqual([]);
  expect((await reopened.list())[0].attributes).toEqual({ type: 'SIGN_OFF_WARNING', tier: '0' });
});

it('describes a non-alert message as its JSON', () => {
  expect(describeAlert('plain text')).toBe('"plain text"');
});
