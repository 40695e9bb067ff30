import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/free-port';
import { loadOrCreateKeys, signToken } from '../../local/jwt';

/*
 * The local stack as a newcomer runs it: `npm start` in its own process (its own DynamoDB
 * Local, state on disk), driven over HTTP, stopped with Ctrl-C in the middle of an open case
 * and started again.
 */
const ROOT = join(__dirname, '..', '..');
let dataDir: string;
let env: NodeJS.ProcessEnv;
let api: string;
let child: ChildProcess | undefined;

async function start(args: string[] = []): Promise<void> {
  child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['local/start.ts', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  for (let attempt = 0; attempt < 240; attempt++) {
    if (child.exitCode !== null) throw new Error(`npm start exited: ${output}`);
    try {
      if ((await fetch(`${api}/health`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`npm start did not become healthy: ${output}`);
}

async function stop(): Promise<void> {
  const running = child;
  if (!running || running.exitCode !== null) return;
  const exited = new Promise((resolve) => running.once('exit', resolve));
  running.kill('SIGINT');
  await exited;
}

async function call(method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${api}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'lr-npm-start-'));
  const port = await freePort();
  api = `http://127.0.0.1:${port}`;
  env = { ...process.env, PORT: String(port), DYNAMODB_PORT: String(await freePort()), LOCAL_DATA_DIR: dataDir, TIME_SCALE: '0' };
  for (const name of ['AWS_ENDPOINT_URL_DYNAMODB', 'CASES_TABLE', 'CASE_WORKFLOW_ARN']) delete env[name];
});
afterAll(async () => {
  await stop();
  await rm(dataDir, { recursive: true, force: true });
});

it('keeps an open case, its clock and its timers across a stop and a start; --reset starts empty', async () => {
  await start();
  const keys = await loadOrCreateKeys(join(dataDir, 'keys'));
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
