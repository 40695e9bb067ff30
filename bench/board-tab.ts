/**
 * One board tab, as the console really runs it: the built console (console/dist) in Chromium,
 * against the local stack on a table `bench/board.ts` seeded, with the page's clock faked
 * (Playwright's clock) so an hour of polling takes a minute or two. Nothing of the console's
 * polling is re-implemented here: its own code (poll.ts, backoff.ts, activity.ts and the board's
 * lookAt) decides when to ask and what; this counts the requests it makes and the DynamoDB read
 * units the stack's handlers consume answering them.
 *
 * Also times GET /v1/cases/summary and the board's first page over HTTP on the local stack.
 *
 * Run by bench/board.ts in a process of its own (the stack's handlers keep their table per
 * process): `node --import tsx bench/board-tab.ts --endpoint <DynamoDB> --table <name> --now <ms> --out <file.json>`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser, Page, Request } from 'playwright-core';
import { startLocalStack } from '../local/stack';
import { localConsoleConfig } from '../local/console-files';
import { loadOrCreateKeys, signToken } from '../local/jwt';
import { dynamoDb } from '../functions/commons/clients/dynamodb';
import { filtersOf, listPath, summaryPath } from '../console/src/board-query';
import { freePort } from '../tests/support/free-port';
import { ensureConsoleBuilt, launchChromium, signIn } from '../tests/browser/browser-support';

/** The deployed console's refresh interval (infra/constructs/console-site.ts: `refreshSeconds ?? 5`); the local stack's own is 3. */
export const DEPLOYED_REFRESH_SECONDS = 5;

/** Read and write capacity units the stack's handlers consumed, as DynamoDB (Local) reports them. */
interface Meter {
  read: number;
  write: number;
}

const READS = new Set(['QueryCommand', 'ScanCommand', 'GetItemCommand', 'BatchGetItemCommand', 'TransactGetItemsCommand', 'GetCommand', 'BatchGetCommand', 'TransactGetCommand']);
const WRITES = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
  'PutCommand',
  'UpdateCommand',
  'DeleteCommand',
  'BatchWriteCommand',
  'TransactWriteCommand',
]);

/**
 * Asks DynamoDB for the consumed capacity of every read and write the handlers make (through
 * the one document client they share) and adds it up. DynamoDB Local reports it as DynamoDB
 * does: an eventually consistent read is half a unit per 4 KB.
 */
function meterHandlersCapacity(): Meter {
  const meter: Meter = { read: 0, write: 0 };
  dynamoDb().middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? '';
      const kind = READS.has(name) ? 'read' : WRITES.has(name) ? 'write' : undefined;
      if (!kind) return next(args);
      const input = args.input as Record<string, unknown>;
      const out = await next({ ...args, input: { ...input, ReturnConsumedCapacity: 'TOTAL' } });
      const consumed = (out.output as { ConsumedCapacity?: { CapacityUnits?: number } | Array<{ CapacityUnits?: number }> }).ConsumedCapacity;
      for (const entry of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) meter[kind] += entry.CapacityUnits ?? 0;
      return out;
    },
    { step: 'initialize', name: 'benchConsumedCapacity' },
  );
  return meter;
}

/** What one kind of request cost over HTTP on the local stack. */
export interface HttpTiming {
  readonly path: string;
  readonly medianMs: number;
  readonly allMs: number[];
  readonly readUnits: number;
  readonly status: number;
}

/** A tally of a tab's requests in a window of simulated time. */
export interface Window {
  readonly name: string;
  readonly minutes: number;
  /** `GET /v1/cases/summary 304` → 58 */
  readonly calls: Record<string, number>;
  readonly apiCalls: number;
  readonly readUnits: number;
  readonly writeUnits: number;
}

export interface TabResult {
  readonly node: string;
  readonly consoleBuiltAt: string;
  readonly refreshSeconds: number;
  readonly summary: HttpTiming & { readonly body: unknown };
  readonly firstPage: HttpTiming & { readonly items: number };
  readonly windows: Window[];
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A request's kind: the API route and status (what AWS bills), or the local-only and static files (not API calls). */
function kindOf(url: string): { key: string; api: boolean } | undefined {
  const { pathname } = new URL(url);
  if (pathname.startsWith('/v1/')) return { key: `GET ${pathname}`, api: true };
  if (pathname.startsWith('/_local/')) return { key: `${pathname} (local stack only)`, api: false };
  return undefined;
}

interface Scenario {
  readonly name: string;
  /** Minutes of simulated time, after the board has loaded. */
  readonly minutes: number;
  /** The windows to report: [from, to) in simulated minutes, and what each is. */
  readonly windows: ReadonlyArray<{ name: string; from: number; to: number }>;
  /** Every this many simulated seconds, someone presses a key on the page (an operator at work). */
  readonly touchEverySeconds?: number;
  /** The tab is hidden (another tab in front, the window minimised) from this minute on. */
  readonly hiddenFrom?: number;
  /** How far the clock moves between checks for requests: a look may start up to this late (1000 ms). */
  readonly stepMs?: number;
}

/**
 * Opens the board in a new browser context with a fake clock, lets it load, then advances the
 * page's clock a step at a time (a second, or 250 ms while looks come every 5 s), each step
 * waiting until the requests it caused are answered: the clock stands still while a look is
 * answered, so the next look is timed from the end of the step it started in — up to one step
 * later than in a real tab, which slightly undercounts.
 */
async function runScenario(browser: Browser, url: string, refreshSeconds: number, meter: Meter, scenario: Scenario): Promise<Window[]> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  try {
    await context.route('**/console/config.json', (route) =>
      route.fulfill({ contentType: 'application/json', body: JSON.stringify(localConsoleConfig(refreshSeconds)) }),
    );
    const page: Page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.clock.install();

    let inflight = 0;
    let lastEventMs = Date.now();
    let minute = -1; // before the measured period: opening the board
    const requests: Array<{ minute: number; request: Request; status?: string }> = [];
    const byRequest = new Map<Request, { minute: number; request: Request; status?: string }>();
    page.on('request', (request) => {
      lastEventMs = Date.now();
      if (!kindOf(request.url())) return;
      inflight += 1;
      const entry = { minute, request };
      requests.push(entry);
      byRequest.set(request, entry);
    });
    // The status as the response's headers arrive. Chromium reports a 304 to a request made with
    // cache: 'no-store' (the console's conditional reads) as failed (net::ERR_ABORTED) once the
    // page has it, so the status comes from here; a request with no response at all is a failure.
    page.on('response', (response) => {
      const entry = byRequest.get(response.request());
      if (entry) entry.status = String(response.status());
    });
    const done = (request: Request) => {
      const entry = byRequest.get(request);
      if (!entry) return;
      byRequest.delete(request);
      entry.status ??= `failed (${request.failure()?.errorText ?? 'no response'})`;
      inflight -= 1;
      lastEventMs = Date.now();
    };
    page.on('requestfinished', done);
    page.on('requestfailed', done);
    const settle = async () => {
      const started = Date.now();
      while (inflight > 0 || Date.now() - lastEventMs < 20) {
        if (Date.now() - started > 60_000) throw new Error(`${scenario.name}: requests still unanswered after 60 s`);
        await sleep(5);
      }
    };

    // Units by simulated minute: at[m] is the meter when minute m began (-1: opening the board).
    const readsAt = new Map<number, number>([[-1, meter.read]]);
    const writesAt = new Map<number, number>([[-1, meter.write]]);
    await signIn(page, url, 'supervision-centre', 'supervisor');
    await page.waitForSelector('.count-value.big[data-count-open]:not([data-count-open=""])');
    await settle();
    await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1000);
    await settle();

    for (minute = 0; minute < scenario.minutes; minute++) {
      readsAt.set(minute, meter.read);
      writesAt.set(minute, meter.write);
      if (scenario.hiddenFrom === minute) {
        // Runs in the page (this tsconfig has no DOM types): what the browser does when another tab comes to the front.
        await page.evaluate(`Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
          document.dispatchEvent(new Event('visibilitychange'));`);
      }
      const stepMs = scenario.stepMs ?? 1000;
      for (let ms = 0; ms < 60_000; ms += stepMs) {
        if (scenario.touchEverySeconds && ms === 0 && (minute * 60) % scenario.touchEverySeconds === 0 && scenario.hiddenFrom === undefined) {
          await page.keyboard.press('Shift');
        }
        await page.clock.runFor(stepMs);
        await settle();
      }
      if ((minute + 1) % 10 === 0) console.log(`  tab ${scenario.name}: ${minute + 1} of ${scenario.minutes} minutes simulated, ${requests.length} requests`);
    }
    readsAt.set(minute, meter.read);
    writesAt.set(minute, meter.write);
    // The console shows a failed look as a problem box: there must be none.
    const problems = await page.$$eval('.problem', (nodes) => nodes.map((node) => node.textContent ?? ''));
    if (errors.length || problems.length) throw new Error(`${scenario.name}: the page failed: ${[...errors, ...problems].join('; ')}`);

    return scenario.windows.map(({ name, from, to }) => {
      const calls: Record<string, number> = {};
      let apiCalls = 0;
      for (const entry of requests) {
        if (entry.minute < from || entry.minute >= to) continue;
        const kind = kindOf(entry.request.url());
        if (!kind) continue;
        const key = `${kind.key} ${entry.status ?? 'unanswered'}`;
        calls[key] = (calls[key] ?? 0) + 1;
        if (kind.api) apiCalls += 1;
      }
      return { name, minutes: to - Math.max(0, from), calls, apiCalls, readUnits: readsAt.get(to)! - readsAt.get(from)!, writeUnits: writesAt.get(to)! - writesAt.get(from)! };
    });
  } finally {
    await context.close();
  }
}

/** GETs `path` `runs` times as the supervisor, each read metered: the median time, and the last answer. */
async function timeGet(url: string, path: string, token: string, meter: Meter, runs: number): Promise<HttpTiming & { body: unknown }> {
  const allMs: number[] = [];
  let readUnits = 0;
  let body: unknown;
  let status = 0;
  for (let run = 0; run < runs; run++) {
    const before = meter.read;
    const started = performance.now();
    const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    body = await response.json();
    allMs.push(performance.now() - started);
    status = response.status;
    readUnits = meter.read - before;
  }
  return { path, medianMs: median(allMs), allMs, readUnits, status, body };
}

export async function measureTab(options: { endpoint: string; table: string; nowMs: number; scenarios: 'all' | 'timing'; idleMinutes: number }): Promise<TabResult> {
  ensureConsoleBuilt();
  const root = await mkdtemp(join(tmpdir(), 'bench-board-tab-'));
  const stack = await startLocalStack({
    port: await freePort(),
    stateDir: join(root, 'state'),
    keysDir: join(root, 'keys'),
    tableName: options.table,
    dynamoDbEndpoint: options.endpoint,
    timeScale: 0,
    startMs: options.nowMs,
    housekeepingSeconds: 0,
  });
  const meter = meterHandlersCapacity();
  let browser: Browser | undefined;
  try {
    const keys = await loadOrCreateKeys(join(root, 'keys'));
    const token = await signToken(keys, { sub: 'bench@supervision-centre', unit: 'supervision-centre', role: 'supervisor' });
    const board = filtersOf(new URLSearchParams());
    // Two warm-up requests each (the handlers' first call loads their modules), then the median of 7.
    await timeGet(stack.url, summaryPath(board), token, meter, 2);
    const { body: summaryBody, ...summary } = await timeGet(stack.url, summaryPath(board), token, meter, 7);
    await timeGet(stack.url, listPath(board), token, meter, 2);
    const { body: pageBody, ...firstPage } = await timeGet(stack.url, listPath(board), token, meter, 7);
    const { asOf: _asOf, ...counts } = summaryBody as Record<string, unknown>;
    const windows: Window[] = [];
    if (options.scenarios === 'all') {
      browser = await launchChromium();
      const refresh = DEPLOYED_REFRESH_SECONDS;
      const idle = options.idleMinutes;
      const half = Math.max(1, Math.round(idle / 2));
      windows.push(
        ...(await runScenario(browser, stack.url, refresh, meter, {
          name: 'idle',
          minutes: 10 + idle,
          windows: [
            { name: 'opening, then nobody touches it: the first 10 minutes', from: -1, to: 10 },
            { name: `idle, visible: the ${idle} minutes after that`, from: 10, to: 10 + idle },
          ],
        })),
        ...(await runScenario(browser, stack.url, refresh, meter, {
          name: 'in use',
          minutes: 1 + half,
          touchEverySeconds: 60,
          // Looks every 5 s: a finer step, so each starts at most 250 ms late.
          stepMs: 250,
          windows: [{ name: `in use: a key pressed every minute, ${half} minutes`, from: 1, to: 1 + half }],
        })),
        ...(await runScenario(browser, stack.url, refresh, meter, {
          name: 'hidden',
          minutes: 1 + half,
          hiddenFrom: 1,
          windows: [{ name: `hidden (another tab in front), ${half} minutes`, from: 1, to: 1 + half }],
        })),
      );
    }
    const { statSync } = await import('node:fs');
    const built = statSync(join(__dirname, '..', 'console', 'dist', 'index.html')).mtime.toISOString();
    return {
      node: process.version,
      consoleBuiltAt: built,
      refreshSeconds: DEPLOYED_REFRESH_SECONDS,
      summary: { ...summary, body: counts },
      firstPage: { ...firstPage, items: (pageBody as { items?: unknown[] }).items?.length ?? 0 },
      windows,
    };
  } finally {
    await browser?.close();
    await stack.stop();
    await rm(root, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const { values } = parseArgs({
    options: {
      endpoint: { type: 'string' },
      table: { type: 'string' },
      now: { type: 'string' },
      out: { type: 'string' },
      scenarios: { type: 'string', default: 'all' },
      minutes: { type: 'string', default: '60' },
    },
  });
  if (!values.endpoint || !values.table || !values.now || !values.out) {
    console.error('usage: node --import tsx bench/board-tab.ts --endpoint <url> --table <name> --now <ms> --out <file.json> [--scenarios all|timing] [--minutes 60]');
    process.exit(2);
  }
  process.env.LOG_LEVEL = 'silent';
  measureTab({ endpoint: values.endpoint, table: values.table, nowMs: Number(values.now), scenarios: values.scenarios === 'timing' ? 'timing' : 'all', idleMinutes: Number(values.minutes) })
    .then((result) => writeFile(values.out as string, JSON.stringify(result, null, 2)))
    .then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
}
