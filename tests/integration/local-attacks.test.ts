import { request } from 'node:http';
import { join } from 'node:path';
import { GetExecutionHistoryCommand, ListExecutionsCommand, SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { loadOrCreateServiceCredentials } from '../../local/credentials';
import { LOCAL_REGION } from '../../local/dynamodb';
import { startTestStack, type TestStack } from '../support/local-stack';

/*
 * The local stack is no easier to attack than AWS from another process on the machine or from a
 * web page the developer visits: its Step Functions endpoint serves only requests signed with the
 * stack's own credentials, its local controls refuse foreign origins and non-JSON bodies, and no
 * request naming another host is served (DNS rebinding).
 */
let t: TestStack;
let caseId: string;
const COMMUNITY = 'community-xiling-shengli-silu';

beforeAll(async () => {
  t = await startTestStack('local-attacks');
  const created = await t.call('POST', '/v1/cases', {
    token: await t.token(COMMUNITY, 'community'),
    body: { title: '楼道堆放杂物', description: '楼道堆放杂物，影响通行。', category: 'routine', reportedVia: 'patrol' },
  });
  expect(created.status).toBe(201);
  caseId = created.body.id;
  await t.advance(0);
});
afterAll(() => t.stop());

interface Answer {
  status: number;
  type: string | undefined;
  body: any;
}

/** A raw request: the Host and every header exactly as given (fetch would set Host itself). */
function send(method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  const url = new URL(t.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path, headers: { host: url.host, ...headers }, agent: false }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const executionArn = () => `${t.stack.caseWorkflowArn.replace(':stateMachine:', ':execution:')}:${caseId}`;
const clockNow = async () => (await t.call('GET', '/_local/clock')).body.nowMs as number;

describe('the Step Functions endpoint', () => {
  const client = (credentials: { accessKeyId: string; secretAccessKey: string }) => new SFNClient({ endpoint: t.url, region: LOCAL_REGION, credentials, maxAttempts: 1 });

  test('unsigned: GetExecutionHistory (task tokens), SendTaskSuccess and StopExecution are refused with 403', async () => {
    for (const [target, body] of [
      ['GetExecutionHistory', { executionArn: executionArn() }],
      ['SendTaskSuccess', { taskToken: 'x', output: '{"action":"sign-off","by":{"unit":"street-xiling-xiling"}}' }],
      ['StopExecution', { executionArn: executionArn() }],
    ] as const) {
      const answer = await send('POST', '/', { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AWSStepFunctions.${target}` }, JSON.stringify(body));
      expect(answer).toMatchObject({ status: 403, body: { __type: 'MissingAuthenticationTokenException' } });
      expect(JSON.stringify(answer.body)).not.toContain('taskToken');
    }
    expect((await t.stack.stepFunctions.describeExecution({ executionArn: executionArn() })).status).toBe('RUNNING');
  });

  test('signed with anything but the stack\'s own credentials: UnrecognizedClientException or InvalidSignatureException', async () => {
    const guessed = client({ accessKeyId: 'local', secretAccessKey: 'local' });
    await expect(guessed.send(new GetExecutionHistoryCommand({ executionArn: executionArn() }))).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
    await expect(guessed.send(new StopExecutionCommand({ executionArn: executionArn() }))).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
    guessed.destroy();
    const own = await loadOrCreateServiceCredentials(join(t.stateDir, '..', 'keys'));
    const forged = client({ accessKeyId: own.accessKeyId, secretAccessKey: 'not-the-secret' });
    await expect(forged.send(new ListExecutionsCommand({ stateMachineArn: t.stack.caseWorkflowArn }))).rejects.toMatchObject({ name: 'InvalidSignatureException' });
    forged.destroy();
    expect((await t.stack.stepFunctions.describeExecution({ executionArn: executionArn() })).status).toBe('RUNNING');
  });

  test('the stack\'s own credentials (made for its data folder, given to its functions) are served', async () => {
    const own = client(await loadOrCreateServiceCredentials(join(t.stateDir, '..', 'keys')));
    const { executions } = await own.send(new ListExecutionsCommand({ stateMachineArn: t.stack.caseWorkflowArn }));
    expect(executions?.map((e) => e.name)).toContain(caseId);
    own.destroy();
    expect(process.env.AWS_ACCESS_KEY_ID).toMatch(/^LKIA[0-9A-F]{16}$/);
  });
});

describe('the local controls', () => {
  const advance = (headers: Record<string, string>, body = '{"seconds": 3600}') => send('POST', '/_local/clock/advance', headers, body);

  test('a text/plain POST (what a page may send without asking) is refused and the clock does not move', async () => {
    const before = await clockNow();
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      expect(await advance({ 'content-type': type })).toMatchObject({ status: 415, type: expect.stringContaining('application/problem+json') });
    }
    expect(await advance({})).toMatchObject({ status: 415 });
    expect(await clockNow()).toBe(before);
  });

  test('a foreign Origin is refused, even with a JSON body; the stack\'s own origin is served', async () => {
    const before = await clockNow();
    for (const origin of ['http://evil.example', 'null', `http://127.0.0.1.evil.example:${new URL(t.url).port}`]) {
      expect(await advance({ 'content-type': 'application/json', origin })).toMatchObject({ status: 403, type: expect.stringContaining('application/problem+json') });
      expect(await send('GET', '/_local/alerts', { origin })).toMatchObject({ status: 403 });
      expect(await send('POST', '/_local/token', { 'content-type': 'application/json', origin }, '{"unit":"supervision-centre","role":"supervisor"}')).toMatchObject({ status: 403 });
    }
    expect(await clockNow()).toBe(before);
    expect(await advance({ 'content-type': 'application/json', origin: t.url }, '{"seconds": 0}')).toMatchObject({ status: 200 });
  });

  test('a request naming another host (DNS rebinding) is refused everywhere with 421', async () => {
    const port = new URL(t.url).port;
    for (const host of [`evil.example:${port}`, 'localhost', `127.0.0.1:${Number(port) + 1}`]) {
      const minted = await send('POST', '/_local/token', { host, 'content-type': 'application/json' }, '{"unit":"supervision-centre","role":"supervisor"}');
      expect(minted).toMatchObject({ status: 421, type: expect.stringContaining('application/problem+json') });
      expect(minted.body).not.toHaveProperty('token');
      expect(await send('GET', '/v1/units', { host })).toMatchObject({ status: 421 });
      expect(await send('GET', '/_local/clock', { host })).toMatchObject({ status: 421 });
    }
    expect(await send('GET', '/v1/units', { host: `localhost:${port}` })).toMatchObject({ status: 200 });
  });
});
