import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  BUNDLE_BUDGET_BYTES,
  budgetOf,
  type BuiltBundle,
  buildAllBundles,
  contributors,
  LAMBDA_BUNDLING,
  RUNTIME_NODE_OPTIONS,
} from '../infra/bundling';
import { writeSection } from './results-file';

/**
 * `npm run bench:cold-start [-- --runs 5]`: every Lambda bundle's size against its budget, and
 * its init time in a fresh Node process, written to bench/results.md.
 *
 * Each bundle is built with infra/bundling.ts (the settings NodejsFunction uses) into a temp
 * dir. Init time is measured the way Lambda's init phase spends it once its runtime is up:
 * a fresh `node` (the project's Node 24) `require`s the bundle, i.e. loads and evaluates the
 * module and everything its top level does. `@aws-sdk/*` is external, so, as in Lambda (where
 * NODE_PATH points at the runtime's node_modules), NODE_PATH points the bundle at the repo's
 * node_modules and the SDK's load time is included; the runner requires the bundle's SDK
 * packages first, in the same process, to report how much of the init they take.
 */
const REPO_ROOT = join(__dirname, '..');

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, not ${values.runs}`);

/** The project's Node 24 (the `node` devDependency); npm scripts put it first on the PATH. */
const localNode = join(REPO_ROOT, 'node_modules', '.bin', 'node');
const NODE = existsSync(localNode) ? localNode : process.execPath;

/** Runs in the measured process: SDK packages first (timed apart), then the bundle itself. */
const RUNNER = `'use strict';
const { performance } = require('node:perf_hooks');
const [bundle, ...sdk] = process.argv.slice(2);
const start = performance.now();
for (const name of sdk) require(name);
const sdkLoaded = performance.now();
const mod = require(bundle);
const end = performance.now();
if (typeof mod.handler !== 'function') throw new Error(bundle + ' exports no handler');
process.stdout.write(JSON.stringify({ totalMs: end - start, sdkMs: sdkLoaded - start }), () => process.exit(0));
`;

interface Sample {
  readonly totalMs: number;
  readonly sdkMs: number;
}

function measure(runner: string, bundle: BuiltBundle, nodeOptions: string): Sample {
  const sdk = bundle.externalImports.filter((specifier) => specifier.startsWith('@aws-sdk/'));
  const result = spawnSync(NODE, [runner, bundle.outfile, ...sdk], {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      NODE_PATH: join(REPO_ROOT, 'node_modules'),
      NODE_OPTIONS: nodeOptions,
      // What the function's configuration gives it (values are placeholders; nothing is called at init).
      AWS_REGION: 'cn-north-1',
      AWS_LAMBDA_FUNCTION_NAME: bundle.lambda.name.replace(/\W/g, '-'),
      CASES_TABLE: 'cases',
      CASE_WORKFLOW_ARN: 'arn:aws-cn:states:cn-north-1:000000000000:stateMachine:cases',
      ALERT_TOPIC_ARN: 'arn:aws-cn:sns:cn-north-1:000000000000:alerts',
      REPORT_BUCKET: 'reports',
    },
  });
  if (result.status !== 0) throw new Error(`${bundle.lambda.name}: init failed (${result.status}):\n${result.stderr}`);
  return JSON.parse(result.stdout) as Sample;
}

const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const max = (xs: readonly number[]): number => Math.max(...xs);
const kib = (bytes: number): string => (bytes / 1024).toFixed(1);
const ms = (value: number): string => value.toFixed(1);

/** Where the API handlers' bytes go (median over the handlers), and the known causes of excess. */
function diagnose(api: readonly BuiltBundle[]): string {
  if (!api.length) return '';
  const perPackage = new Map<string, number[]>();
  for (const bundle of api) for (const { name, bytes } of contributors(bundle)) perPackage.set(name, [...(perPackage.get(name) ?? []), bytes]);
  const typical = [...perPackage]
    .map(([name, sizes]) => ({ name, bytes: median([...sizes, ...Array(api.length - sizes.length).fill(0)]) }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 8);
  const lines = [`Largest parts of an API handler (median KiB): ${typical.map((p) => `${p.name} ${kib(p.bytes)}`).join(', ')}.`];
  const localeBytes = median(
    api.map((bundle) =>
      Object.entries(bundle.metafile.inputs)
        .filter(([input]) => /node_modules\/zod\/v4\/locales\/(?!en\.js$)/.test(input))
        .reduce((sum, [input]) => sum + (bundleInputBytes(bundle, input) ?? 0), 0),
    ),
  );
  if (localeBytes > 0) {
    lines.push(
      `zod's translations of its messages into every other language (${kib(localeBytes)} KiB per handler) are bundled: ` +
        "esbuild cannot tree-shake the `z` that `import { z } from 'zod'` names (a re-exported namespace); " +
        "import it as `import * as z from 'zod/mini'` and load the English locale alone (functions/domain/zod-locale.ts).",
    );
  }
  return lines.join('\n');
}

const bundleInputBytes = (bundle: BuiltBundle, input: string): number | undefined =>
  Object.values(bundle.metafile.outputs).find((output) => input in output.inputs)?.inputs[input].bytesInOutput;

async function main(): Promise<void> {
  const nodeVersion = spawnSync(NODE, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const loadBefore = loadavg()[0];
  const outRoot = mkdtempSync(join(tmpdir(), 'linked-resolution-cold-start-'));
  try {
    const buildStart = performance.now();
    const bundles = await buildAllBundles(outRoot);
    const buildMs = performance.now() - buildStart;
    console.log(`built ${bundles.length} bundles in ${ms(buildMs)} ms into ${outRoot}`);

    const runner = join(outRoot, 'measure-init.cjs');
    writeFileSync(runner, RUNNER);

    // Round robin, so a slow moment of the machine is spread over every bundle rather than one.
    const withMaps = new Map<string, Sample[]>(bundles.map((b) => [b.lambda.name, []]));
    const withoutMaps = new Map<string, Sample[]>(bundles.map((b) => [b.lambda.name, []]));
    for (let round = 1; round <= runs; round++) {
      for (const bundle of bundles) {
        withMaps.get(bundle.lambda.name)!.push(measure(runner, bundle, RUNTIME_NODE_OPTIONS));
        withoutMaps.get(bundle.lambda.name)!.push(measure(runner, bundle, ''));
      }
      console.log(`round ${round}/${runs} done`);
    }

    const loadAfter = loadavg()[0];
    const rows = bundles.map((bundle) => {
      const budget = budgetOf(bundle.lambda);
      const samples = withMaps.get(bundle.lambda.name)!;
      const total = samples.map((s) => s.totalMs);
      const sdk = samples.map((s) => s.sdkMs);
      const plain = withoutMaps.get(bundle.lambda.name)!.map((s) => s.totalMs);
      const largest = contributors(bundle)
        .slice(0, 3)
        .map((c) => `${c.name} ${kib(c.bytes)}`)
        .join(', ');
      return {
        bundle,
        over: bundle.bytes > budget,
        line:
          `| \`${bundle.lambda.name}\` | ${kib(bundle.bytes)} | ${kib(bundle.gzipBytes)} | ${kib(bundle.sourceMapBytes)} | ${kib(budget)} | ` +
          `${bundle.bytes > budget ? '**over**' : 'ok'} | ${largest} | ` +
          `${ms(median(total))} | ${ms(max(total))} | ${ms(median(sdk))} | ${ms(median(plain))} |`,
        medianMs: median(total),
      };
    });
    for (const row of rows) console.log(row.line);

    const over = rows.filter((row) => row.over);
    const findings = diagnose(bundles.filter((bundle) => bundle.lambda.kind === 'api'));
    const byKind = (kind: string) => rows.filter((row) => row.bundle.lambda.kind === kind);
    const range = (list: typeof rows, pick: (row: (typeof rows)[number]) => number, format: (n: number) => string) =>
      list.length ? `${format(Math.min(...list.map(pick)))}–${format(Math.max(...list.map(pick)))}` : 'none';

    const body = `
## Cold start: bundle size and init time (\`npm run bench:cold-start -- --runs ${runs}\`)

Every Lambda function bundled with infra/bundling.ts (the settings \`NodejsFunction\` is given:
minified CommonJS for ${LAMBDA_BUNDLING.target}, linked source map without sources, charset utf8,
\`${LAMBDA_BUNDLING.externalModules.join(', ')}\` external) in ${ms(buildMs)} ms for all ${bundles.length}. Size is the
minified \`index.js\` the budget limits (KiB; the source map is beside it, not counted); gzip for reference.
Budgets (\`BUNDLE_BUDGET_BYTES\`): API handlers ${kib(BUNDLE_BUDGET_BYTES.api)} KiB, workflow
${kib(BUNDLE_BUDGET_BYTES.workflow)} KiB, report ${kib(BUNDLE_BUDGET_BYTES.report)} KiB; \`npx jest tests/infra/bundle-budget.test.ts\` fails over them.

Init is what Lambda's init phase runs once its runtime is up: a fresh \`node\` process (${nodeVersion},
node_modules/.bin/node) \`require\`s the bundle, loading and evaluating it with everything its top
level does; the process start and the runtime itself are not counted. ${runs} samples per bundle, one
process each, round robin; median and max. As deployed, with \`NODE_OPTIONS=${RUNTIME_NODE_OPTIONS}\` (the
source map is read at load); the last column is the same without it. \`@aws-sdk/*\` is external: it
resolves through NODE_PATH to the repo's node_modules, as Lambda's NODE_PATH resolves it to the
runtime's copy, and its load time **is included**; "of which SDK" is the part spent loading the
bundle's SDK packages (required first, in the same process). Lambda at 512 MB gets about a third of a
vCPU, so expect its init to be several times these figures. Load average (1 min) ${loadBefore.toFixed(1)} before
and ${loadAfter.toFixed(1)} after the runs: times taken while other work shares the cores vary accordingly.

| function | minified KiB | gzip KiB | source map KiB | budget KiB | size | largest parts (KiB) | init median ms | init max ms | of which SDK, median ms | init median ms, no source maps |
|---|---|---|---|---|---|---|---|---|---|---|
${rows.map((row) => row.line).join('\n')}

API handlers: ${range(byKind('api'), (r) => r.bundle.bytes, kib)} KiB, init median ${range(byKind('api'), (r) => r.medianMs, ms)} ms.
${
  over.length
    ? `**${over.length} of ${rows.length} bundles are over budget**: ${over.map((row) => `\`${row.bundle.lambda.name}\``).join(', ')}.`
    : `Every bundle is within its budget.`
}
${findings}
`;
    writeSection('cold-start', body);
    console.log(`\n${over.length} of ${rows.length} bundles over budget; results in bench/results.md (section cold-start)`);
  } finally {
    rmSync(outRoot, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
