import { join } from 'node:path';
import { ListTablesCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { loadOrCreateKeys, signToken } from '../../local/jwt';
import { loadOrCreateServiceCredentials } from '../../local/credentials';
import { dynamoDbClient } from '../../local/dynamodb';
import { npmStartProcess, type NpmStartProcess } from '../support/npm-start-process';

/*
 * The local stack as a newcomer runs it: `npm start` in its own process (its own DynamoDB
 * Local, state on disk), driven over HTTP, stopped with Ctrl-C in the middle of an open case
 * and started again.
 */
// Each test starts `npm start` (and its DynamoDB Local, a JVM) two or three times: minutes on a busy machine, not seconds.
jest.setTimeout(180_000);

let p: NpmStartProcess;
const start = (args?: string[]) => p.start(args);
const stop = () => p.stop();
const call = (method: string, path: string, token?: string, body?: unknown) => p.call(method, path, token, body);

beforeAll(async () => {
  p = await npmStartProcess('npm-start');
});
afterAll(() => p.dispose());

it('keeps an open case, its clock and its timers across a stop and a start; --reset starts empty', async () => {
  await start();
  const keys = await loadOrCreateKeys(join(p.dataDir, 'keys'));
  const community = await signToken(keys, { sub: 'c', unit: 'community-xiling-shengli-silu', role: 'community' });
  const street = await signToken(keys, { sub: 's', unit: 'street-xiling-xiling', role: 'agency' });
  const supervisor = await signToken(keys, { sub: 'v', unit: 'supervision-centre', role: 'supervisor' });

  const created = await call('POST', '/v1/cases', community, { title: '路灯不亮', description: '小区门口路灯损坏', category: 'routine', reportedVia: 'phone' });
  expect(created.status).toBe(201);
  const id = created.body.id;
  await call('POST', '/_local/clock/advance', undefined, { seconds: 0 });
  expect((await call('POST', `/v1/cases/${id}/sign-off`, street, { handler: { name: '李娟' } })).status).toBe(202);
  await call('POST', '/_local/clock/advance', undefined, { seconds: 0 });
  const clockBefore = (await call('GET', '/_local/clock')).body.nowMs;

  await stop();
  await start();

  expect((await call('GET', '/_local/clock')).body.nowMs).toBe(clockBefore);
  const execution = await call('GET', `/v1/cases/${id}/execution`, supervisor);
  expect(execution.body).toEqual(expect.objectContaining({ status: 'RUNNING', currentState: 'AwaitResult' }));
  const due = (await call('GET', `/v1/cases/${id}`, supervisor)).body.resolveDueAt;
  await call('POST', '/_local/clock/advance', undefined, { seconds: Math.ceil((Date.parse(due) - clockBefore) / 1000) });
  const alerts = (await call('GET', `/_local/alerts?caseId=${id}`)).body.items.map((a: any) => a.type);
  expect(alerts).toEqual(['HANDLING_WARNING', 'HANDLING_WARNING', 'HANDLING_OVERDUE', 'ESCALATED']);
  expect((await call('GET', `/v1/cases/${id}`, supervisor)).body).toEqual(expect.objectContaining({ tier: 1, assignedUnit: 'district-office-xiling' }));

  await stop();
  await start(['--reset']);
  expect((await call('GET', `/v1/cases/${id}`, supervisor)).status).toBe(404);
  expect((await call('GET', '/_local/alerts')).body.items).toEqual([]);
  await stop();
});

it('keeps its DynamoDB Local tables under its own key: a caller without it finds nothing to read', async () => {
  await start();
  const keys = await loadOrCreateKeys(join(p.dataDir, 'keys'));
  const community = await signToken(keys, { sub: 'c', unit: 'community-xiling-shengli-silu', role: 'community' });
  const created = await call('POST', '/v1/cases', community, { title: '路灯不亮', description: '小区门口路灯损坏', category: 'routine', reportedVia: 'phone', complainant: { name: '张明', phone: '13800138000' } });
  expect(created.status).toBe(201);

  // DynamoDB Local checks no signature and listens on every interface: the key id is what keeps others out.
  for (const credentials of [{ accessKeyId: 'local', secretAccessKey: 'local' }, { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' }]) {
    const stranger = dynamoDbClient(p.dynamoDb, credentials);
    expect((await stranger.send(new ListTablesCommand({}))).TableNames).toEqual([]);
    await expect(stranger.send(new ScanCommand({ TableName: 'linked-resolution-cases' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    stranger.destroy();
  }
  const own = dynamoDbClient(p.dynamoDb, await loadOrCreateServiceCredentials(join(p.dataDir, 'keys')));
  const { Items = [] } = await own.send(new ScanCommand({ TableName: 'linked-resolution-cases' }));
  expect(Items.some((item) => item.id?.S === created.body.id)).toBe(true);
  own.destroy();
  await stop();
});
