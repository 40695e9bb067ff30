import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';

const ROOT = join(__dirname, '..', '..');

export interface NpmStartProcess {
  readonly api: string;
  readonly dataDir: string;
  /** The DynamoDB Local the stack starts (unless it was given one). */
  readonly dynamoDb: string;
  /** `npm start` (local/start.ts) in its own process group; resolves when /health answers 200. */
  start(args?: string[]): Promise<void>;
  /** Ctrl-C: the stack stops cleanly. */
  stop(): Promise<void>;
  /** kill -9 of the whole process group (the stack, and its DynamoDB Local if it started one): no chance to clean up. */
  kill(): Promise<void>;
  call(method: string, path: string, token?: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  dispose(): Promise<void>;
}

/**
 * The local stack as a newcomer runs it, on its own ports and data folder, with a frozen clock
 * (or one running `timeScale` times real time). With `dynamoDbEndpoint` it uses that DynamoDB
 * (a table of its own) instead of starting one.
 */
export async function npmStartProcess(name: string, options: { dynamoDbEndpoint?: string; timeScale?: number } = {}): Promise<NpmStartProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), `lr-${name}-`));
  const port = await freePort();
  const api = `http://127.0.0.1:${port}`;
  const dynamoDbPort = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DYNAMODB_PORT: String(dynamoDbPort), LOCAL_DATA_DIR: dataDir, TIME_SCALE: String(options.timeScale ?? 0) };
  for (const variable of ['AWS_ENDPOINT_URL_DYNAMODB', 'CASES_TABLE', 'CASE_WORKFLOW_ARN', 'DYNAMODB_ENDPOINT']) delete env[variable];
  if (options.dynamoDbEndpoint) Object.assign(env, { DYNAMODB_ENDPOINT: options.dynamoDbEndpoint, CASES_TABLE: `cases-${name}-${Date.now()}` });
  let child: ChildProcess | undefined;

  const exited = (running: ChildProcess) => (running.exitCode !== null || running.signalCode !== null ? Promise.resolve() : new Promise((resolve) => running.once('exit', resolve)));

  const self: NpmStartProcess = {
    api,
    dataDir,
    dynamoDb: options.dynamoDbEndpoint ?? `http://127.0.0.1:${dynamoDbPort}`,
    async start(args = []) {
      child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['local/start.ts', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
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
    },
    async stop() {
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      const done = exited(running);
      running.kill('SIGINT');
      await done;
    },
    async kill() {
      const running = child;
      if (!running?.pid || running.exitCode !== null || running.signalCode !== null) return;
      const done = exited(running);
      process.kill(-running.pid, 'SIGKILL');
      await done;
      // Its DynamoDB Local was in the same group; give the OS a moment to release the ports.
      await new Promise((resolve) => setTimeout(resolve, 500));
    },
    async call(method, path, token, body, headers = {}) {
      const response = await fetch(`${api}${path}`, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    },
    async dispose() {
      await self.stop();
      if (child?.pid && child.signalCode === null && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return self;
}
