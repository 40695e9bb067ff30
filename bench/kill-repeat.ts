import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSection } from './results-file';

/*
 * The kill test (tests/e2e/kill-mid-flight.test.ts) run N times in a row (default 20): each run
 * kills `npm start` with SIGKILL while intakes and sign-offs are in flight, starts it again and
 * checks every case, execution, alert and notification. Each run's counts (notifications,
 * duplicates, lost, alerts, duplicate alerts) are recorded; the summary goes to bench/results.md.
 *   npm run kill-test:repeat [-- --runs 20]
 */
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 20;
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs takes a positive whole number');

interface RunReport {
  notifications: number;
  duplicates: number;
  lost: number;
  alerts: number;
  duplicateAlerts: number;
}

const dir = mkdtempSync(join(tmpdir(), 'kill-repeat-'));
const rows: string[] = [];
let passed = 0;
const totals = { notifications: 0, duplicates: 0, lost: 0, alerts: 0, duplicateAlerts: 0 };
const started = Date.now();
for (let run = 1; run <= runs; run++) {
  const reportFile = join(dir, `run-${run}.jsonl`);
  const result = spawnSync('npx', ['jest', 'tests/e2e/kill-mid-flight.test.ts'], {
    env: { ...process.env, KILL_TEST_REPORT: reportFile },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ok = result.status === 0;
  if (ok) passed++;
  const report: RunReport | undefined = existsSync(reportFile) ? JSON.parse(readFileSync(reportFile, 'utf8').trim().split('\n').pop()!) : undefined;
  if (report) for (const key of Object.keys(totals) as Array<keyof RunReport>) totals[key] += report[key];
  rows.push(`| ${run} | ${ok ? 'pass' : 'FAIL'} | ${report?.notifications ?? '–'} | ${report?.duplicates ?? '–'} | ${report?.lost ?? '–'} | ${report?.alerts ?? '–'} | ${report?.duplicateAlerts ?? '–'} |`);
  console.log(`run ${run}/${runs}: ${ok ? 'pass' : 'FAIL'} ${report ? JSON.stringify(report) : ''}`);
  if (!ok) console.log((result.stdout + result.stderr).split('\n').slice(-60).join('\n'));
}
const minutes = ((Date.now() - started) / 60_000).toFixed(1);
writeSection(
  'kill-repeat',
  `## The kill test, ${runs} times in a row (\`npm run kill-test:repeat\`)

**${passed} of ${runs} runs passed** in ${minutes} min; over all runs: ${totals.notifications} notifications delivered,
**${totals.duplicates} duplicates**, **${totals.lost} lost**, ${totals.alerts} alerts, ${totals.duplicateAlerts} alerts twice.

Each run: 10 cases, then 40 intakes and 10 sign-offs in flight when \`npm start\` is killed with
SIGKILL; after the restart every request is retried, the clock runs to the end of the new cases'
sign-off windows, and the test counts each case's new-case SMS, each new case's breach SMS to the
street office and to the supervision centre (lost: any of them missing), and any notification
told twice, under one id or two.

| run | result | notifications | duplicates | lost | alerts | alerts twice |
|---|---|---|---|---|---|---|
${rows.join('\n')}`,
);
process.exit(passed === runs ? 0 : 1);
