import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { buildApp, type BuiltApp, unacknowledgedFindings, type ValidationFinding } from '../../infra/build-app';
import { cdkJsonContext } from './synth';

interface Finding {
  readonly plugin: string;
  readonly rule: string;
  readonly severity: string;
  readonly constructs: string[];
}

interface Checked {
  readonly findings: Finding[];
  /** The plugins that reported, by name. */
  readonly plugins: string[];
  /** What `cdk synth` (infra/app.ts) fails on. */
  readonly unacknowledged: ValidationFinding[];
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
    return {
      findings,
      plugins: report.pluginReports.map((plugin) => plugin.pluginName),
      unacknowledged: unacknowledgedFindings(outdir),
      annotations,
      synthError,
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

describe('cdk-nag AwsSolutions checks and cfn-guard Control Tower rules', () => {
  test('the dev app, bundled as `cdk synth` does, has no unacknowledged finding', () => {
    const checked = synthesizeAndCollect({});
    expect(checked.plugins).toContain('cdk-validator-cfnguard');
    expect(checked.findings).toEqual([]);
    expect(checked.unacknowledged).toEqual([]);
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
    expect(checked.unacknowledged).toEqual([]);
    expect(checked.synthError).toBeUndefined();
    expect(checked.annotations).toEqual([]);
  });

  test('the China stage (aws-cn, no console site) has no unacknowledged finding', () => {
    // With the Aliyun SMS adapter switched on (tests/infra/aliyun-sms.test.ts): its one grant must be clean too.
    const checked = synthesizeAndCollect({
      stage: 'cn',
      region: 'cn-north-1',
      account: '123456789012',
      aliyunSmsSecretArn: 'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:linked-resolution/aliyun-sms-AbC123',
      'aws:cdk:bundling-stacks': [],
    });
    expect(checked.plugins).toContain('cdk-validator-cfnguard');
    expect(checked.findings).toEqual([]);
    expect(checked.unacknowledged).toEqual([]);
    expect(checked.synthError).toBeUndefined();
  });

  test('unacknowledged findings of either plugin fail synthesis and show up here', () => {
    // One synthesis for both plugins' findings: each synthesis with the validation plugins takes most of a minute.
    const checked = synthesizeAndCollect({ 'aws:cdk:bundling-stacks': [] }, ({ stack }) => {
      new LogGroup(stack, 'LogGroupKeptAWeek', { retention: RetentionDays.ONE_WEEK });
      new Topic(stack, 'TopicWithoutTls');
    });
    // cdk-nag's error fails aws-cdk-lib's synthesis; cfn-guard's would not (see unacknowledgedFindings): `cdk synth` (infra/app.ts) fails on both.
    expect(checked.synthError).toBeDefined();
    expect(checked.unacknowledged.filter((finding) => finding.plugin === 'cdk-validator-cfnguard')).toEqual([
      expect.objectContaining({ rule: 'cloudwatch_log_group_retention_period_check' }),
      expect.objectContaining({ rule: 'cloudwatch_log_group_encrypted_check' }),
    ]);
    expect(checked.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          plugin: 'cdk-validator-cfnguard',
          rule: 'cloudwatch_log_group_retention_period_check',
          constructs: [expect.stringContaining('LogGroupKeptAWeek')],
        }),
        expect.objectContaining({
          plugin: 'AwsSolutions',
          rule: 'AwsSolutions-SNS3',
          constructs: [expect.stringContaining('TopicWithoutTls')],
        }),
      ]),
    );
    // Nothing else: the two constructs added are the only findings.
    expect(new Set(checked.findings.flatMap((finding) => finding.constructs).map((construct) => construct.split('/')[1]))).toEqual(new Set(['LogGroupKeptAWeek', 'TopicWithoutTls']));
  });
});
