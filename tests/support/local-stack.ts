import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../local/stack';
import { loadOrCreateKeys, signToken } from '../../local/jwt';
import { freePort } from './free-port';

/** Monday 9 March 2026, 09:00 in Shanghai: a plain working week, far from holidays. */
export const MONDAY_0900 = Date.parse('2026-03-09T09:00:00+08:00');

export interface TestStack {
  readonly stack: LocalStack;
  readonly url: string;
  readonly stateDir: string;
  token(unit: string, role: string): Promise<string>;
  call(method: string, path: string, options?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> }): Promise<{ status: number; headers: Headers; body: any }>;
  advance(seconds: number): Promise<void>;
  /** Stop and start again on the same state: what `npm start` does after Ctrl-C. */
  restart(): Promise<void>;
  /** A new, empty workflow state and a clock back at the start (the table is kept). */
  fresh(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The local stack in this process, on the run's DynamoDB Local, with a frozen virtual clock
 * that only the test moves. Each call gets its own table and state folder.
 */
export async function startTestStack(name: string, startMs = MONDAY_0900, extra: Pick<LocalStackOptions, 'executionLimits'> = {}): Promise<TestStack> {
  const root = await mkdtemp(join(tmpdir(), `lr-${name}-`));
  const tableName = `cases-${name}-${Date.now()}`;
  // The same port across restarts: the handlers' SDK clients keep the endpoint they started with.
  const port = await freePort();
  let generation = 0;
  const options = async () => ({
    port,
    stateDir: join(root, `state-${generation}`),
    keysDir: join(root, 'keys'),
    tableName,
    dynamoDbEndpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB as string,
    timeScale: 0,
    startMs,
    // Tests run the housekeeping themselves (stack.sweepOutbox() and the retention job), so nothing happens behind their back.
    housekeepingSeconds: 0,
    ...extra,
  });
  let stack = await startLocalStack(await options());
  const keys = await loadOrCreateKeys(join(root, 'keys'));
  const self: TestStack = {
    get stack() {
      return stack;
    },
    get url() {
      return stack.url;
    },
    get stateDir() {
      return join(root, `state-${generation}`);
    },
    token: (unit, role) => signToken(keys, { sub: `${role}@${unit}`, unit, role }),
    async call(method, path, { token, body, rawBody, headers = {} } = {}) {
      const response = await fetch(`${stack.url}${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined || rawBody !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        ...(rawBody !== undefined ? { body: rawBody } : body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      // JSON answers parsed; anything else (an Open311 XML answer, a CSV) as its text.
      const isJson = /json/i.test(response.headers.get('content-type') ?? '');
      return { status: response.status, headers: response.headers, body: text ? (isJson ? JSON.parse(text) : text) : undefined };
    },
    async advance(seconds) {
      const response = await fetch(`${stack.url}/_local/clock/advance`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ seconds }),
      });
      if (response.status !== 200) throw new Error(`advance failed: ${response.status} ${await response.text()}`);
    },
    async restart() {
      await stack.stop();
      stack = await startLocalStack(await options());
    },
    async fresh() {
      await stack.stop();
      generation += 1;
      stack = await startLocalStack(await options());
    },
    async stop() {
      await stack.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
  return self;
}
