import { createServer, request, type Server } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { SDK_RETRY } from '../../functions/commons/clients/settings';
import { CaseStore } from '../../functions/store/case-store';
import { ensureCasesTable, dynamoDbClient } from '../../local/dynamodb';
import { acceptCase } from '../../functions/domain/case';
import { defaultDirectory } from '../../functions/domain/directory';
import { defaultCalendar } from '../../functions/domain/calendar';
import { defaultRoutingRules } from '../../functions/domain/routing';
import { freePort } from '../support/free-port';

/*
 * DynamoDB throttling, with the handlers' own retry setting (SDK_RETRY) against DynamoDB Local
 * behind a proxy that refuses the first requests as DynamoDB does when a partition is hot.
 * How long each retry waits: tests/unit/commons/retry.test.ts.
 */
const THROTTLED = JSON.stringify({
  __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
  message: 'The level of configured provisioned throughput for the table was exceeded.',
});

let proxy: Server;
let proxyUrl: string;
let refuseNext = 0;
let arrivals = 0;
const tableName = `throttling-${Date.now()}`;
const target = new URL(process.env.AWS_ENDPOINT_URL_DYNAMODB as string);

beforeAll(async () => {
  const admin = dynamoDbClient(target.origin);
  await ensureCasesTable(admin, tableName);
  admin.destroy();
  proxy = createServer((req, res) => {
    arrivals += 1;
    if (refuseNext > 0) {
      refuseNext -= 1;
      req.resume();
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' }).end(THROTTLED);
      return;
    }
    const upstream = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => proxy.listen(port, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${port}`;
});
afterAll(() => new Promise<void>((resolve) => proxy.close(() => resolve())));
beforeEach(() => {
  arrivals = 0;
  refuseNext = 0;
});
afterEach(() => jest.restoreAllMocks());

/** A case store as the handlers build it, but reaching DynamoDB through the proxy. */
function storeBehindProxy(): { store: CaseStore; destroy: () => void } {
  const raw = new DynamoDBClient({ ...SDK_RETRY, endpoint: proxyUrl });
  const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  return { store: new CaseStore(client, tableName), destroy: () => raw.destroy() };
}

function newCase() {
  return acceptCase(
    { title: '路灯不亮', description: '小区门口路灯损坏', category: 'routine', reportedVia: 'phone' },
    {
      caller: { sub: 'c', unit: 'community-xiling-shengli-silu', role: 'community' },
      id: ulid(),
      nowMs: Date.parse('2026-03-09T09:00:00+08:00'),
      directory: defaultDirectory,
      calendar: defaultCalendar,
      routingRules: defaultRoutingRules,
    },
  );
}

test('an intake write refused three times is retried and lands once', async () => {
  jest.spyOn(Math, 'random').mockReturnValue(0.01);
  const { store, destroy } = storeBehindProxy();
  const { record, event } = newCase();
  refuseNext = 3;
  await expect(store.createCase(record, event)).resolves.toEqual({ created: true });
  destroy();
  expect(arrivals).toBe(4);
  const stored = await new CaseStore(DynamoDBDocumentClient.from(dynamoDbClient(target.origin)), tableName).getCase(record.id);
  expect(stored?.timeline).toHaveLength(1);
});

test('throttled past five attempts, the write fails with the throttling error and nothing is written', async () => {
  jest.spyOn(Math, 'random').mockReturnValue(0.01);
  const { store, destroy } = storeBehindProxy();
  const { record, event } = newCase();
  refuseNext = 100;
  await expect(store.createCase(record, event)).rejects.toMatchObject({ name: 'ProvisionedThroughputExceededException' });
  destroy();
  expect(arrivals).toBe(SDK_RETRY.maxAttempts);
  const stored = await new CaseStore(DynamoDBDocumentClient.from(dynamoDbClient(target.origin)), tableName).getCase(record.id);
  expect(stored).toBeUndefined();
});
