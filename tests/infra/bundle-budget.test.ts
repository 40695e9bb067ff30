import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { buildApp } from '../../infra/build-app';
import {
  budgetOf,
  BUNDLE_BUDGET_BYTES,
  OVER_BUDGET,
  type BuiltBundle,
  buildAllBundles,
  contributors,
  isRuntimeProvided,
  LAMBDA_ENTRIES,
  packageOf,
} from '../../infra/bundling';
import { ApiFunction } from '../../infra/constructs/api-function';
import { ROUTES } from '../../functions/api/routes';
import { cdkJsonContext } from './synth';

/*
 * Cold-start budget: every Lambda bundle, built with the options infra/bundling.ts gives
 * NodejsFunction, stays within its minified size budget, leaves the AWS SDK to the runtime,
 * and carries none of the local stack, tests or dev tooling. Sizes only: the init times are
 * measured by `npm run bench:cold-start`, never asserted here.
 */
const REPO_ROOT = path.join(__dirname, '..', '..');
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

let bundles: Map<string, BuiltBundle>;
beforeAll(async () => {
  // In memory: nothing is written under the output directory.
  const built = await buildAllBundles(path.join(tmpdir(), 'linked-resolution-bundles'), { write: false });
  bundles = new Map(built.map((bundle) => [bundle.lambda.name, bundle]));
});

const names = LAMBDA_ENTRIES.map((lambda) => lambda.name);

describe('bundle size', () => {
  test.each(names)('%s is within its budget', (name) => {
    const bundle = bundles.get(name)!;
    const budget = budgetOf(bundle.lambda);
    if (bundle.bytes > budget) {
      const largest = contributors(bundle)
        .slice(0, 6)
        .map((c) => `${c.name} ${kib(c.bytes)}`)
        .join(', ');
      throw new Error(
        `${bundle.lambda.entry} is ${kib(bundle.bytes)} minified, over its ${bundle.lambda.kind} budget of ${kib(budget)} ` +
          `(infra/bundling.ts BUNDLE_BUDGET_BYTES). Largest parts: ${largest}.`,
      );
    }
    expect(bundle.bytes).toBeLessThanOrEqual(budget);
  });
});

describe('functions over the api budget', () => {
  // An exception names a debt: once its function fits the api budget again, the exception goes.
  test.each(Object.keys(OVER_BUDGET))('%s still needs its exception', (name) => {
    const bundle = bundles.get(name)!;
    expect(bundle).toBeDefined();
    expect(bundle.bytes).toBeGreaterThan(BUNDLE_BUDGET_BYTES[bundle.lambda.kind]);
  });
});

describe('bundle contents', () => {
  const AWS_SDK_CODE = /(?:^|\/)node_modules\/(?:@aws-sdk|@smithy|@aws-crypto)\//;

  test.each(names)('%s contains no AWS SDK code and requires nothing the runtime lacks', (name) => {
    const bundle = bundles.get(name)!;
    expect(bundle.inputs.filter((input) => AWS_SDK_CODE.test(input))).toEqual([]);
    // Anything left external must be a node builtin or an SDK package the runtime provides.
    expect(bundle.externalImports.filter((specifier) => !isRuntimeProvided(specifier))).toEqual([]);
  });

  const devDependencies = Object.keys(JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).devDependencies);
  const NOT_SHIPPED = /^(?:local|tests|bench|console|infra|scripts)\//;

  test.each(names)('%s contains no local stack, test, benchmark or dev-tooling code', (name) => {
    const bundle = bundles.get(name)!;
    expect(bundle.inputs.filter((input) => NOT_SHIPPED.test(input))).toEqual([]);
    const fromDevDependencies = bundle.inputs.filter((input) => /node_modules\//.test(input) && devDependencies.includes(packageOf(input)));
    expect(fromDevDependencies).toEqual([]);
  });

  test('the SDK is really left to the runtime: functions that call AWS still require it', () => {
    // Guards the test above against passing vacuously: health sends DescribeTable and
    // DescribeStateMachine, the report writer puts the files in S3.
    expect(bundles.get('api/health')!.externalImports).toEqual(expect.arrayContaining(['@aws-sdk/client-dynamodb', '@aws-sdk/client-sfn']));
    expect(bundles.get('report/write-report')!.externalImports).toEqual(expect.arrayContaining(['@aws-sdk/client-s3']));
  });

  test.each(ROUTES.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s requires only the SDK clients its declared needs call (the rest is init time for nothing)',
    (_key, route) => {
      const sdk = new Set(bundles.get(`api/${route.handler}`)!.externalImports.filter((specifier) => specifier.startsWith('@aws-sdk/')));
      const expected = new Set([
        ...(route.needs.table ? ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'] : []),
        ...(route.needs.workflow?.length ? ['@aws-sdk/client-sfn'] : []),
        // The notification log's sender (functions/notify/deployment.ts) sends SMS through SNS.
        ...(route.needs.notifications ? ['@aws-sdk/client-sns'] : []),
      ]);
      expect([...sdk].sort()).toEqual([...expected].sort());
    },
  );
});

describe('feature texts', () => {
  // A feature's texts are registered by the modules that render them (domain/mediation/event-texts.ts,
  // refusal-texts.ts), not spread into the catalogues every function loads: each bundle that can
  // answer a mediation refusal or tell a mediation event has them, and only those.
  test.each(names)('%s carries mediation\'s texts where it renders them', (name) => {
    const inputs = bundles.get(name)!.inputs;
    const answersMediationRefusals = /^api\/mediation-/.test(name);
    // create-case renders only the new case's acceptance, never a mediation event.
    const tellsTimeline = ['workflow/case-workflow', 'api/get-case', 'api/record-approval'].includes(name);
    expect(inputs.includes('functions/domain/mediation/refusal-texts.ts')).toBe(answersMediationRefusals);
    expect(inputs.includes('functions/domain/mediation/event-texts.ts')).toBe(tellsTimeline);
  });
});

describe('the entry list', () => {
  test('is every function the stack deploys, and nothing else', () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'linked-resolution-cdk-'));
    try {
      // Built, not synthesized, and with bundling skipped: only the construct tree is needed.
      const { stack } = buildApp({ outdir, context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
      const constructs = stack.node.findAll();
      const apiFunctions = constructs.filter((c): c is ApiFunction => c instanceof ApiFunction);
      const nodejsFunctions = constructs.filter((c) => c instanceof NodejsFunction);

      expect(apiFunctions.map((fn) => fn.entry).sort()).toEqual(LAMBDA_ENTRIES.map((lambda) => lambda.entry).sort());
      // Every NodejsFunction is an ApiFunction's, so every one is bundled with LAMBDA_BUNDLING.
      expect(nodejsFunctions).toHaveLength(apiFunctions.length);
      expect(nodejsFunctions.every((fn) => fn.node.scope instanceof ApiFunction)).toBe(true);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('what CDK ships', () => {
  test('NodejsFunction, given LAMBDA_BUNDLING, ships byte for byte the bundle measured here', () => {
    // One real CDK bundling (esbuild's CLI, as `cdk synth` runs it): a setting CDK drops or
    // translates differently (as it drops `charset`) would make the sizes above untrue.
    const lambda = LAMBDA_ENTRIES.find((candidate) => candidate.name === 'api/list-categories')!;
    const outdir = mkdtempSync(path.join(tmpdir(), 'linked-resolution-parity-'));
    try {
      const app = new App({ outdir });
      new ApiFunction(new Stack(app, 'BundleParity'), 'Probe', {
        entry: lambda.entry,
        description: 'bundle parity probe',
        removalPolicy: RemovalPolicy.DESTROY,
      });
      app.synth();
      const assets = readdirSync(outdir).filter((dir) => dir.startsWith('asset.') && existsSync(path.join(outdir, dir, 'index.js')));
      expect(assets).toHaveLength(1);
      const shipped = readFileSync(path.join(outdir, assets[0], 'index.js'));
      const measured = Buffer.from(bundles.get(lambda.name)!.code);
      expect(shipped.length).toBe(measured.length);
      expect(shipped.equals(measured)).toBe(true);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
