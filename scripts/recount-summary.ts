import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { recountOpenSummary, type RecountReport } from './open-summary-recount';
import { loadOrCreateServiceCredentials } from '../local/credentials';
import { dynamoDbClient } from '../local/dynamodb';
import { localSettings } from '../local/settings';

const USAGE = `usage:
  npm run -s recount-summary -- --table <CasesTableName> [--region <region>] [--dry-run]
      recount the open-case counters (SUMMARY#OPEN), every case's light attributes
      (lightYellowFrom, lightRedFrom, the lightChanges entry) and every case item's index keys
      (open and closed cases: after upgrading to a version that changed a key's format, run it
      once) from the cases, show the differences and write the corrections; AWS credentials
      from the SDK's usual chain
  npm run -s recount-summary -- --local [--dry-run]
      the same on the local stack's DynamoDB Local (npm start running)
  --endpoint <url>   another DynamoDB endpoint (DynamoDB Local elsewhere)
  --segments <n>     parallel scan segments (default 4)
  --json             the report as JSON

Safe while the system runs; a second run changes nothing. Exit status: 0 when the table agrees
(or was corrected), 3 when something changed during the scan and was left (run it again),
2 on an error. docs/operations.md, "Recounting the board's counts".`;

function printReport(report: RecountReport, dryRun: boolean): void {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`scanned ${report.cases} case items (${report.open} open), ${report.counters} counters; ${report.readUnits} read units, ${report.writeUnits} write units`);
  if (report.unreadable.length) out(`unreadable case items (counters left as they are): ${report.unreadable.join(', ')}`);
  if (!report.counterDifferences.length) out('counters: all equal to the cases');
  for (const d of report.counterDifferences) out(`counter ${d.bucket}: ${d.counted} -> ${d.scanned}  ${d.outcome}`);
  if (!report.lightDifferences.length) out('light attributes: all as the write path keeps them');
  for (const d of report.lightDifferences) out(`case ${d.id} ${d.attribute}: ${d.stored ?? '(none)'} -> ${d.expected ?? '(none)'}  ${d.outcome}`);
  if (!report.indexDifferences.length) out('index keys: all as the write path keeps them');
  // An upgrade that changed a key's format differs on every case: each line would be the same, so they are counted by attribute and outcome.
  const byKind = new Map<string, number>();
  for (const d of report.indexDifferences) byKind.set(`${d.attribute} ${d.outcome}`, (byKind.get(`${d.attribute} ${d.outcome}`) ?? 0) + 1);
  for (const [kind, count] of byKind) out(`index key ${kind.replace(' ', ': ')} on ${count} case items`);
  if (dryRun && (report.counterDifferences.length || report.lightDifferences.length || report.indexDifferences.length)) out('dry run: nothing written');
}

/**
 * Recounts the board's counters and the cases' light attributes and index keys on a table, local or in AWS,
 * through the same function the tests run (scripts/open-summary-recount.ts).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      table: { type: 'string' },
      region: { type: 'string' },
      endpoint: { type: 'string' },
      local: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      segments: { type: 'string', default: '4' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const segments = Number(values.segments);
  if (!Number.isInteger(segments) || segments < 1 || segments > 64) throw new Error(`--segments takes a whole number from 1 to 64.\n${USAGE}`);
  let client: DynamoDBClient;
  let table: string;
  if (values.local) {
    const settings = localSettings();
    const credentials = await loadOrCreateServiceCredentials(settings.keysDir);
    client = dynamoDbClient(values.endpoint ?? settings.dynamoDbEndpoint ?? `http://127.0.0.1:${settings.dynamoDbPort}`, credentials);
    table = values.table ?? settings.tableName;
  } else {
    if (!values.table) throw new Error(`--table is needed (the stack's CasesTableName output), or --local.\n${USAGE}`);
    client = new DynamoDBClient({ ...(values.region ? { region: values.region } : {}), ...(values.endpoint ? { endpoint: values.endpoint } : {}) });
    table = values.table;
  }
  try {
    const dryRun = values['dry-run'];
    const report = await recountOpenSummary(DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }), table, { dryRun, segments });
    if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else printReport(report, dryRun);
    const busy = [...report.counterDifferences, ...report.lightDifferences, ...report.indexDifferences].some((d) => d.outcome === 'busy');
    if (busy) {
      if (!values.json) process.stdout.write('some counters or cases changed during the scan and were left as they are: run it again\n');
      process.exitCode = 3;
    }
  } finally {
    client.destroy();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(2);
});
