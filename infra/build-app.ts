import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { readSettings } from './settings';
import { LinkedResolutionStack } from './stack';
import { guardRule } from './constructs/guard';

export interface BuiltApp {
  readonly app: App;
  readonly stack: LinkedResolutionStack;
}

/**
 * The CDK app as `cdk synth` builds it, cdk-nag's AWS Solutions checks included; tests
 * call it with their own context and output directory.
 */
export interface BuildOptions {
  /**
   * Run cfn-guard's Control Tower rules at synthesis (default true, as `cdk synth` does). The
   * infra tests that only read the template switch it off to save a minute per synthesis;
   * tests/infra/cdk-nag.test.ts runs it for every stage.
   */
  readonly cfnGuard?: boolean;
}

export function buildApp(props: AppProps = {}, options: BuildOptions = {}): BuiltApp {
  const app = new App(props);
  const settings = readSettings(app.node);
  const stack = new LinkedResolutionStack(app, `LinkedResolution-${settings.stage}`, {
    ...settings,
    ...(settings.region ? { env: { region: settings.region, ...(settings.account ? { account: settings.account } : {}) } } : {}),
    description: `Linked resolution of citizens' complaints (${settings.stage})`,
  });
  // cdk-nag's AWS Solutions checks and cfn-guard's Control Tower rules both run at synthesis; every
  // finding either fails it or is acknowledged in code, at the construct, with its reason.
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app),
    ...(options.cfnGuard === false ? [] : [new CfnGuardValidator({ maxBuffer: 64 * 1024 * 1024 })]),
  );
  // cfn-guard reports one CT.KMS.PR.3 finding per key and one more that it maps to no construct
  // (an empty path, which only the app's root matches); the keys' own acknowledgements say why
  // (infra/constructs/encryption.ts acknowledgeKeyPolicy), and this one repeats it for that finding.
  Validations.of(app).acknowledge({
    id: guardRule('kms_create_grant_aws_service_check'),
    reason:
      "The only key policy statement granting kms:CreateGrant is CDK's default for the account root (key " +
      'administration, delegating use to IAM); no IAM policy in this app grants kms:CreateGrant.',
  });
  return { app, stack };
}

export interface ValidationFinding {
  readonly plugin: string;
  readonly rule: string;
  readonly severity: string;
  readonly constructs: string[];
}

/**
 * The unacknowledged error findings in an assembly's validation report. aws-cdk-lib (2.276)
 * fails synthesis for cdk-nag's findings, but marks a cfn-guard report whose findings were
 * partly acknowledged as a success even when others remain; `cdk synth` (infra/app.ts) therefore
 * reads the report itself and fails on any finding left.
 */
export function unacknowledgedFindings(assemblyDir: string): ValidationFinding[] {
  const file = ['validation-report.json', 'policy-validation-report.json']
    .map((name) => path.join(assemblyDir, name))
    .find((candidate) => existsSync(candidate));
  if (!file) return [];
  const report = JSON.parse(readFileSync(file, 'utf8')) as {
    pluginReports: Array<{
      pluginName: string;
      violations: Array<{ ruleName: string; severity: string; violatingConstructs?: Array<{ constructPath: string }> }>;
    }>;
  };
  return report.pluginReports.flatMap((plugin) =>
    plugin.violations
      .filter((violation) => ['error', 'fatal'].includes(violation.severity.toLowerCase()))
      .map((violation) => ({
        plugin: plugin.pluginName,
        rule: violation.ruleName,
        severity: violation.severity,
        constructs: (violation.violatingConstructs ?? []).map((construct) => construct.constructPath),
      })),
  );
}
