import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalStack } from '../local/stack';
import { startDynamoDbLocal } from '../local/dynamodb';
import { loadOrCreateKeys, signToken } from '../local/jwt';
import { defaultDirectory } from '../functions/domain/directory';
import { freePort } from '../tests/support/free-port';
import { memoryPeak, writeSection } from './results-file';

/*
 * The local runtime under load: N open cases started through the HTTP API, then the virtual
 * clock moved 30 days in one step, firing every warning and breach of every case. Measures
 * executions started per second, heap per open execution, time and peak memory of the
 * advance, and checks that no alert fired twice and that closed executions leave nothing
 * behind in memory. DynamoDB Local runs in its own JVM, outside these numbers.
 */
const MONDAY_0900 = Date.parse('2026-03-09T09:00:00+08:00');

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

const heapMiB = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { cases: { type: 'string', default: '10000' }, closed: { type: 'string', default: '2000' }, days: { type: 'string', default: '30' }, concurrency: { type: 'string', default: '16' } },
  });
  const cases = Number(values.cases);
  const closedCount = Number(values.closed);
  const days = Number(values.days);
  const concurrency = Number(values.concurrency);
  process.env.LOG_LEVEL = 'silent';

  const root = await mkdtemp(join(tmpdir(), 'lr-bench-'));
  const dynamoDb = await startDynamoDbLocal({ port: await freePort() });
  const stack = await startLocalStack({
    port: await freePort(),
    stateDir: join(root, 'state'),
    keysDir: join(root, 'keys'),
    tableName: 'bench-cases',
    dynamoDbEndpoint: dynamoDb.endpoint,
    timeScale: 0,
    startMs: MONDAY_0900,
  });
  const keys = await loadOrCreateKeys(join(root, 'keys'));
  const communities = defaultDirectory.ofKind('community').map((unit) => unit.id);
  const tokens = new Map<string, string>();
  for (const unit of communities) tokens.set(unit, await signToken(keys, { sub: 'bench', unit, role: 'community' }));
  const post = async (path: string, token: string, body: unknown) => {
    const response = await fetch(`${stack.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (response.status >= 300) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<{ id: string }>;
  };
  const advance = (seconds: number): Promise<{ fired: number }> =>
    fetch(`${stack.url}/_local/clock/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ seconds }) }).then((r) => r.json() as Promise<{ fired: number }>);

  // Closed executions: a warm-up batch loads every module and client, then a measured batch
  // shows what closing leaves behind in memory.
  const runClosedBatch = async (count: number) => {
    const kept: Array<{ id: string; token: string }> = [];
    await pool(Array.from({ length: count }, (_, i) => communities[i % communities.length]), concurrency, async (unit) => {
      const token = tokens.get(unit) as string;
      // The community keeps it: in progress at once, resolved and rated by the same community.
      const created = await post('/v1/cases', token, { title: '邻里纠纷', description: '噪音', category: 'neighbour-family', reportedVia: 'visit', assignedUnit: unit });
      kept.push({ id: created.id, token });
    });
    await advance(0);
    await pool(kept, concurrency, ({ id, token }) => post(`/v1/cases/${id}/resolve`, token, { summary: '已调解', outcome: '双方和解' }).then(() => undefined));
    await advance(0);
    await pool(kept, concurrency, ({ id, token }) => post(`/v1/cases/${id}/evaluate`, token, { rating: 'satisfied' }).then(() => undefined));
    await advance(0);
  };
  await runClosedBatch(Math.min(200, closedCount));
  const baseline = heapMiB();
  await runClosedBatch(closedCount);
  const afterClosed = heapMiB();

  // Open cases through the API: intake, StartExecution, the first workflow step and the wait.
  const startedAt = performance.now();
  const openIds: string[] = [];
  await pool(Array.from({ length: cases }, (_, i) => communities[i % communities.length]), concurrency, async (unit) => {
    const created = await post('/v1/cases', tokens.get(unit) as string, { title: '楼道堆放杂物', description: '影响通行', category: 'routine', reportedVia: 'patrol' });
    openIds.push(created.id);
  });
  await advance(0);
  const startSeconds = (performance.now() - startedAt) / 1000;
  const afterOpen = heapMiB();

  // Thirty days at once: every warning and breach of every open case, in time order.
  const peak = memoryPeak();
  const advanceStarted = performance.now();
  // A day per request: a whole month in one request outlasts HTTP client timeouts at 10,000 cases.
  let fired = 0;
  for (let day = 0; day < days; day++) fired += (await advance(86400)).fired;
  const advanceSeconds = (performance.now() - advanceStarted) / 1000;
  const memory = peak.stop();

  const alerts = await stack.sns.list();
  const seen = new Set<string>();
  let duplicates = 0;
  for (const { message } of alerts) {
    const alert = message as { caseId: string; type: string; unit: string; tier: number; dueAt: string; at: string };
    const key = `${alert.caseId}|${alert.type}|${alert.unit}|${alert.dueAt}|${alert.at}`;
    if (seen.has(key)) duplicates += 1;
    seen.add(key);
  }
  const perCase = new Map<string, number>();
  for (const { message } of alerts) {
    const id = (message as { caseId: string }).caseId;
    perCase.set(id, (perCase.get(id) ?? 0) + 1);
  }
  const counts = openIds.map((id) => perCase.get(id) ?? 0);
  const openSet = new Set(openIds);
  const strays = alerts.filter(({ message }) => !openSet.has((message as { caseId: string }).caseId));
  if (strays.some(({ message }) => (message as { caseId: unknown }).caseId)) console.error('alerts for cases that should have closed:', JSON.stringify(strays.map((m) => m.message)));
  if (!counts.every((count) => count === counts[0])) console.error('alerts per case:', JSON.stringify(counts));
  const sameForAll = counts.every((count) => count === counts[0]);

  await stack.stop();
  await dynamoDb.stop();
  await rm(root, { recursive: true, force: true });

  const body = `## Local runtime (\`npm run bench:runtime -- --cases ${cases}\`)

| measure | value |
|---|---|
| open cases started through \`POST /v1/cases\` (intake, StartExecution, first step, wait) | ${cases} in ${startSeconds.toFixed(1)} s = **${(cases / startSeconds).toFixed(0)} executions/s** (concurrency ${concurrency}) |
| heap per open execution (after GC) | **${(((afterOpen - afterClosed) * 1024) / cases).toFixed(1)} KiB** |
| heap left by ${closedCount} closed executions (after GC) | ${(afterClosed - baseline).toFixed(1)} MiB (${((((afterClosed - baseline) * 1024) / closedCount)).toFixed(2)} KiB each): closed executions live on disk only |
| advance the clock ${days} days | **${advanceSeconds.toFixed(1)} s**, ${fired} timers fired, peak RSS ${memory.rssMiB.toFixed(0)} MiB, peak heap ${memory.heapMiB.toFixed(0)} MiB |
| alerts published | ${alerts.length}, ${(alerts.length / cases).toFixed(1)} per case, the same number for every case: ${sameForAll ? 'yes' : 'no'} |
| alerts fired twice | **${duplicates}** |

Each open case is a routine case nobody signs off: in ${days} days it climbs every tier by
sign-off breaches and stays at the joint conference, so each fires every kind of sign-off
warning, breach and escalation alert. DynamoDB Local (its own JVM, not counted above) answers the
workflow's reads and writes, about three round trips per fired timer, and bounds the advance.`;
  writeSection('local-runtime', body);
  console.log(body);
  if (duplicates > 0 || !sameForAll) process.exitCode = 1;
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
