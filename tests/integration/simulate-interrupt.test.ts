import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/free-port';

/*
 * `npm run simulate` as a user runs it, on its own data folder and the run's DynamoDB Local:
 * Ctrl-C stops it cleanly and says how far it got; the stack it leaves holds those cases, so a
 * second run refuses unless told to add to them, and with --add it runs on the same stack.
 */
let dataDir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'lr-simulate-'));
  env = {
    ...process.env,
    LOCAL_DATA_DIR: dataDir,
    PORT: String(await freePort()),
    DYNAMODB_ENDPOINT: process.env.AWS_ENDPOINT_URL_DYNAMODB,
    CASES_TABLE: `simulate-${Date.now()}`,
  };
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function simulate(args: string[], interruptWhen?: (stdout: string) => boolean): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '../../local/simulate/main.ts'), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!interrupted && interruptWhen?.(stdout)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('simulate: interrupted, then run again on the same stack', () => {
  it('stops on Ctrl-C saying how far it got, refuses a stack with cases, and adds to it with --add', async () => {
    // Interrupted once the first cases are in (their month's report line, or the first progress line).
    const first = await simulate(['--preset', 'ci-small', '--cases', '120', '--months', '1'], (out) => /cases [1-9]/.test(out));
    expect(first.stderr).toBe('');
    expect(first.code).toBe(130);
    expect(first.stdout).toMatch(/stopped at 2026-03-\d\dT.* \(virtual\): \d+ of 120 cases created/);

    const refused = await simulate(['--preset', 'ci-small', '--cases', '5', '--months', '1']);
    expect(refused.code).toBe(64);
    expect(refused.stderr).toMatch(/holds cases already.*--add/);

    const added = await simulate(['--preset', 'ci-small', '--cases', '5', '--months', '1', '--add']);
    expect(added.stderr).toBe('');
    expect(added.stdout).toMatch(/adding to the cases already in the stack: the replay starts in 2026-04/);
    expect(added.stdout).toMatch(/received 受理\s+5\s+5/);
    expect(added.code).toBe(0);
  }, 180_000);
});
