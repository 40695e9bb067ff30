import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { isBuiltin } from 'node:module';
import type { BuildOptions, Metafile } from 'esbuild';
import { type BundlingOptions, LogLevel, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { ROUTES } from '../functions/api/routes';

/**
 * How every Lambda function of the system is bundled, decided once. The CDK constructs pass
 * LAMBDA_BUNDLING to NodejsFunction (which runs the esbuild CLI); the bundle-size test and the
 * cold-start benchmark run the esbuild package directly with esbuildOptions(), which maps the
 * same settings one for one, so what they measure is what `cdk synth` ships.
 */

/** The repository root: NodejsFunction's projectRoot and esbuild's working directory. */
const ROOT = path.join(__dirname, '..');

/** Lambda runtime nodejs24.x; esbuild keeps all syntax it supports. */
export const LAMBDA_TARGET = 'node24';

/**
 * The function's NODE_OPTIONS. Stack traces in the logs point at the TypeScript sources
 * through the bundle's source map (the map is read when the bundle loads, so the cold-start
 * benchmark measures with this flag set, as the function runs).
 */
export const RUNTIME_NODE_OPTIONS = '--enable-source-maps';

/** The bundle's file name inside the asset, as NodejsFunction names it for CommonJS output. */
export const BUNDLE_FILE = 'index.js';

/**
 * Packages the nodejs24.x runtime provides (AWS SDK for JavaScript v3): left as `require`s in
 * the bundle and resolved from the runtime's own node_modules, so bundling them again would
 * only add cold-start weight. Nothing else may be external: it would be missing at run time.
 */
export const RUNTIME_PROVIDED_MODULES = ['@aws-sdk/*'];

/**
 * The `bundling` prop of every NodejsFunction.
 * - minify: whitespace, identifiers and syntax; bundle size is what the budgets below limit.
 * - sourceMap (linked, index.js.map beside the bundle) without sourcesContent: mapped stack
 *   frames need only the mappings, and without the sources the map Node reads at init is a
 *   third of the size (get-case: 606 KiB instead of 1,745 KiB).
 * - CommonJS: the Lambda runtime loads it with plain `require`; ESM output would need a
 *   createRequire banner for the SDK's CommonJS and gains nothing in size (tree shaking is the same).
 * - charset utf8: zod's messages and our unit directory and categories hold non-ASCII text,
 *   which esbuild otherwise escapes as \uXXXX (about 70 KiB more per bundle). Passed through
 *   esbuildArgs because NodejsFunction (aws-cdk-lib 2.276) documents a `charset` prop but never
 *   hands it to esbuild; tests/infra/bundle-budget.test.ts checks CDK's bundle is byte for byte
 *   the one esbuildOptions() builds, so a setting CDK drops cannot go unnoticed.
 * - mainFields: esbuild's own order for platform node, stated so it is a decision. Every
 *   dependency that ships ES modules (zod, middy, jose, ulid) declares `exports`, whose `import`
 *   condition already picks the tree-shakable build; ['module', 'main'] measured no smaller.
 */
export const LAMBDA_BUNDLING = {
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  format: OutputFormat.CJS,
  target: LAMBDA_TARGET,
  esbuildArgs: { '--charset': 'utf8' as const },
  mainFields: ['main', 'module'],
  logLevel: LogLevel.WARNING,
  externalModules: RUNTIME_PROVIDED_MODULES,
} satisfies BundlingOptions;

/** The same settings for the esbuild package (what NodejsFunction passes on its command line). */
export function esbuildOptions(entry: string, outdir: string): BuildOptions {
  return {
    absWorkingDir: ROOT,
    entryPoints: [path.join(ROOT, entry)],
    outfile: path.join(outdir, BUNDLE_FILE),
    bundle: true,
    platform: 'node',
    target: LAMBDA_BUNDLING.target,
    format: LAMBDA_BUNDLING.format === OutputFormat.CJS ? 'cjs' : 'esm',
    minify: LAMBDA_BUNDLING.minify,
    sourcemap: LAMBDA_BUNDLING.sourceMap,
    sourcesContent: LAMBDA_BUNDLING.sourcesContent,
    charset: LAMBDA_BUNDLING.esbuildArgs['--charset'],
    mainFields: [...LAMBDA_BUNDLING.mainFields],
    logLevel: LAMBDA_BUNDLING.logLevel === LogLevel.WARNING ? 'warning' : 'info',
    external: [...LAMBDA_BUNDLING.externalModules],
    metafile: true,
  };
}

// ---------------------------------------------------------------------------------------------
// Every Lambda entry point and its size budget.

export type LambdaKind = 'api' | 'workflow' | 'report';

export interface LambdaEntry {
  /** Short name, e.g. `api/create-case`. */
  readonly name: string;
  /** Handler module relative to the repository root; it exports `handler`. */
  readonly entry: string;
  readonly kind: LambdaKind;
}

/** The module that serves an API route (ROUTES' `handler`). */
export const apiHandlerEntry = (handler: string): string => `functions/api/${handler}.ts`;
/** The case workflow's task function, invoked by Step Functions. */
export const WORKFLOW_ENTRY = 'functions/workflow/case-workflow.ts';
/** The outbox sweeper and the retention job, invoked by EventBridge Scheduler (infra/constructs/scheduled-function.ts). */
export const HOUSEKEEPING_ENTRIES = {
  outboxSweeper: 'functions/housekeeping/outbox-sweeper.ts',
  personalDataRetention: 'functions/housekeeping/personal-data-retention.ts',
  /** Held SMS, webhook calls and their retries, unsettled sends (docs/notifications.md). */
  notificationSweep: 'functions/notify/notification-sweep.ts',
} as const;
/** Operations: the stopped-execution recorder (EventBridge) and the daily calendar check (EventBridge Scheduler). */
export const OPERATIONS_ENTRIES = {
  executionStatus: 'functions/operations/execution-status.ts',
  calendarCheck: 'functions/operations/calendar-check.ts',
} as const;
/** The monthly report's three functions, invoked by the report state machine. */
export const REPORT_ENTRIES = {
  plan: 'functions/report/plan-run.ts',
  segment: 'functions/report/read-segment.ts',
  writer: 'functions/report/write-report.ts',
} as const;

const nameOf = (entry: string): string => entry.replace(/^functions\//, '').replace(/\.ts$/, '');

/** Every function infra deploys (tests/infra/bundle-budget.test.ts checks the stack has no other). */
export const LAMBDA_ENTRIES: readonly LambdaEntry[] = [
  ...ROUTES.map((route) => apiHandlerEntry(route.handler)).map((entry) => ({ name: nameOf(entry), entry, kind: 'api' as const })),
  { name: nameOf(WORKFLOW_ENTRY), entry: WORKFLOW_ENTRY, kind: 'workflow' },
  ...Object.values(HOUSEKEEPING_ENTRIES).map((entry) => ({ name: nameOf(entry), entry, kind: 'workflow' as const })),
  ...Object.values(OPERATIONS_ENTRIES).map((entry) => ({ name: nameOf(entry), entry, kind: 'workflow' as const })),
  ...Object.values(REPORT_ENTRIES).map((entry) => ({ name: nameOf(entry), entry, kind: 'report' as const })),
];

/**
 * Largest minified bundle (index.js, without its source map) each kind of function may have.
 * - api: 150 KiB, the project's cold-start target for functions on a caller's request path.
 * - workflow, report: off any caller's request path (Step Functions or EventBridge Scheduler
 *   invokes them), so no target of their own; the budget is the largest measured (101 and 88 KiB,
 *   with schemas on `zod/mini`) plus about 20 % headroom, so growth is noticed, not shipped.
 *   The workflow budget then grew by what business metrics cost: Powertools Metrics (with its
 *   commons) measured 10.3 KiB in the case workflow's bundle, so 120 + 12 KiB. It grew again when
 *   the workflow began to write its alerts in Chinese and English (the event texts and their
 *   formatting, 16.7 KiB; refusals stay out of it) and to run co-handling, each unit's parts and
 *   the continuation of long cases (functions/domain 38.7 KiB): measured 164.4 KiB, so 176 KiB.
 *   It grew again with three features the workflow runs itself: sending the notifications of
 *   each step and logging them (the contact directory config/contacts.json 10.0 KiB, the
 *   notification texts 4.7, the notification log store 3.7, the Aliyun SMS adapter and its
 *   secret 5.7, the sender that logs each send 2.1, the notification rules and audience 5.5:
 *   31.7 KiB), the mediation phase
 *   (domain/mediation steps, rules, model and its event texts: 15.6 KiB) and the PIN each
 *   result issues for evaluation and reopening (pin-store 3.0 KiB). Measured 216.0 KiB after
 *   cutting what the workflow need not carry (refusals, unused schemas), so 232 KiB (the same
 *   ~7 % headroom). The api budget did not change: its functions were cut back under it.
 */
export const BUNDLE_BUDGET_BYTES: Readonly<Record<LambdaKind, number>> = {
  api: 150 * 1024,
  workflow: 232 * 1024,
  report: 105 * 1024,
};

/**
 * Request-path functions over the api budget, each with its measured size and the cut that
 * brings it back (a debt, not a new target): the bundle test fails when one of them grows past
 * its figure, and also once it fits the api budget again, so the exception is then removed.
 * - api/post-message (156.1 KiB): it sends the message's notifications during the request, so it
 *   carries the contacts, the SMS templates, the notification log and both SMS adapters (about
 *   32 KiB). The cut: record them as due in the notification log and let the sweep send them.
 * - api/create-case (152.7 KiB): intake makes the case's first plan (domain/workflow's planFor, its
 *   milestones and the mediation milestones they include: 3.0 KiB) so that it costs one
 *   transaction and the execution starts at its first wait. The cut: the refusal texts it carries
 *   for every case action (domain/texts/refusals, 11.1 KiB), of which intake answers a handful.
 */
export const OVER_BUDGET: Readonly<Record<string, number>> = {
  'api/post-message': 157 * 1024,
  'api/create-case': 153 * 1024,
};

export const budgetOf = (entry: LambdaEntry): number => OVER_BUDGET[entry.name] ?? BUNDLE_BUDGET_BYTES[entry.kind];

// ---------------------------------------------------------------------------------------------
// Building bundles with the esbuild package.

export interface BuiltBundle {
  readonly lambda: LambdaEntry;
  /** The bundle's path (`<outdir>/index.js`; not written when `write` is false). */
  readonly outfile: string;
  readonly code: Uint8Array;
  /** Minified size of index.js, what the budget limits. */
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly sourceMapBytes: number;
  readonly metafile: Metafile;
  /** Every module esbuild read for this bundle, relative to the repository root. */
  readonly inputs: readonly string[];
  /** Modules the bundle still `require`s at run time: node builtins and runtime-provided packages. */
  readonly externalImports: readonly string[];
}

/** Builds one function's bundle with LAMBDA_BUNDLING's settings; written to `outdir` (index.js and index.js.map) unless `write` is false. */
export async function buildBundle(lambda: LambdaEntry, outdir: string, options: { write?: boolean } = {}): Promise<BuiltBundle> {
  const { build } = await import('esbuild');
  const result = await build({ ...esbuildOptions(lambda.entry, outdir), write: false });
  if (options.write ?? true) {
    mkdirSync(outdir, { recursive: true });
    for (const file of result.outputFiles) writeFileSync(file.path, file.contents);
  }
  const outfile = path.join(outdir, BUNDLE_FILE);
  const code = result.outputFiles.find((file) => file.path === outfile)!.contents;
  const map = result.outputFiles.find((file) => file.path === `${outfile}.map`);
  const metafile = result.metafile!;
  const output = bundleOutput(metafile);
  return {
    lambda,
    outfile,
    code,
    bytes: code.length,
    gzipBytes: gzipSync(code).length,
    sourceMapBytes: map?.contents.length ?? 0,
    metafile,
    inputs: Object.keys(metafile.inputs),
    externalImports: [...new Set(output.imports.filter((i) => i.external).map((i) => i.path))].sort(),
  };
}

const bundleOutput = (metafile: Metafile): Metafile['outputs'][string] =>
  Object.entries(metafile.outputs).find(([file]) => file.endsWith(BUNDLE_FILE))![1];

/** Every function's bundle, built in parallel (esbuild serves them from one service process), each in `<outRoot>/<name>/`. */
export function buildAllBundles(outRoot: string, options: { write?: boolean } = {}): Promise<BuiltBundle[]> {
  return Promise.all(LAMBDA_ENTRIES.map((lambda) => buildBundle(lambda, path.join(outRoot, lambda.name), options)));
}

/** `@aws-sdk/client-dynamodb` for an SDK import, `zod` for zod's files, `functions/domain` for ours. */
export function packageOf(input: string): string {
  const inModules = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (inModules) return inModules[1];
  const parts = input.split('/');
  return parts.length > 1 ? parts.slice(0, -1).join('/') : input;
}

/** Bytes each package (or source folder) contributes to the bundle, largest first. */
export function contributors(bundle: BuiltBundle): { name: string; bytes: number }[] {
  const output = bundleOutput(bundle.metafile);
  const totals = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    totals.set(packageOf(input), (totals.get(packageOf(input)) ?? 0) + bytesInOutput);
  }
  return [...totals].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
}

/** Whether a bundle's external import is allowed: a node builtin, or a package the runtime provides. */
export function isRuntimeProvided(specifier: string): boolean {
  if (isBuiltin(specifier)) return true;
  return RUNTIME_PROVIDED_MODULES.some((pattern) =>
    pattern.endsWith('/*') ? specifier.startsWith(pattern.slice(0, -1)) : specifier === pattern,
  );
}
