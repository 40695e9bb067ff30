import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { buildApp, type BuiltApp } from '../../infra/build-app';
import { cdkJsonContext } from './synth';

interface Finding {
  readonly plugin: string;
  readonly rule: string;
  readonly severity: string;
  readonly constructs: string[];
}

interface Checked {
  readonly findings: Finding[];
  /** Warnings and errors CDK itself attached to constructs (deprecations, misconfigurations). */
  readonly annotations: string[];
  readonly synthError?: Error;
}

/**
 * Synthesizes as `cdk synth` does, validation plugins included, and collects every finding
 * of every plugin (cdk-nag's AwsSolutions among them) from the validation report, whatever
 * its severity. `alter` may change the app before synthesis.
 */
function synthesizeAndCollect(context: Record<string, unknown>, alter?: (built: BuiltApp) => void): Checked {
  const outdir = mkdtempSync(path.join(tmpdir(), 'linked-resolution-nag-'));
  try {
    const built = buildApp({ outdir, context: { ...cdkJsonContext(), ...context } });
    alter?.(built);
    let synthError: Error | undefined;
    let annotations: string[] = [];
    try {
      const assembly = built.app.synth();
      annotations = assembly.stacks
        .flatMap((stack) => stack.messages)
        .filter((message) => message.level !== 'info')
        .map((message) => `${message.level} at ${message.id}: ${String(message.entry.data)}`);
    } catch (error) {
      synthError = error as Error;
    }
    const reportFile = ['validation-report.json', 'policy-validation-report.json']
      .map((name) => path.join(outdir, name))
      .find((file) => existsSync(file));
    if (!reportFile) throw new Error(`No validation report in ${outdir}`, { cause: synthError });
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as {
      pluginReports: Array<{
        pluginName: string;
        violations: Array<{ ruleName: string; severity: string; violatingConstructs?: Array<{ constructPath: string }> }>;
      }>;
    };
    const findings = report.pluginReports.flatMap((plugin) =>
      plugin.violations.map((violation) => ({
        plugin: plugin.pluginName,
        rule: violation.ruleName,
        severity: violation.severity,
        constructs: (violation.violatingConstructs ?? []).map((construct) => construct.constructPath),
      })),
    );
    return { findings, annotations, synthError };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

describe('cdk-nag AwsSolutions checks', () => {
  test('the dev app, bundled as `cdk synth` does, has no unacknowledged finding', () => {
    const checked = synthesizeAndCollect({});
    expect(checked.findings).toEqual([]);
    expect(checked.synthError).toBeUndefined();
    expect(checked.annotations).toEqual([]);
  });

  test('the prod app, with email alerts and CORS, has no unacknowledged finding', () => {
    const checked = synthesizeAndCollect({
      stage: 'prod',
      alertEmail: 'supervision@city.example',
      consoleOrigin: 'https://console.city.example',
      'aws:cdk:bundling-stacks': [],
    });
    expect(checked.findings).toEqual([]);
    expect(checked.synthError).toBeUndefined();
    expect(checked.annotations).toEqual([]);
  });

  test('an unacknowledged finding fails synthesis and shows up here', () => {
    const checked = synthesizeAndCollect({ 'aws:cdk:bundling-stacks': [] }, ({ stack }) => {
      new Topic(stack, 'TopicWithoutTls');
    });
    expect(checked.synthError).toBeDefined();
    expect(checked.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          plugin: 'AwsSolutions',
          rule: 'AwsSolutions-SNS3',
          constructs: [expect.stringContaining('TopicWithoutTls')],
        }),
      ]),
    );
  });
});
