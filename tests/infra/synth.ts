import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnElement, NestedStack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { buildApp, type BuiltApp } from '../../infra/build-app';

const REPO_ROOT = path.join(__dirname, '..', '..');

/** The context `cdk synth` starts from: cdk.json's, so tests check the real defaults. */
export function cdkJsonContext(): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')).context;
}

export interface Synthesized extends BuiltApp {
  readonly template: Template;
  readonly outdir: string;
  /** Logical id of a construct's CloudFormation resource (the construct or its default child). */
  logicalId(construct: IConstruct): string;
  /**
   * A nested stack's resources with each parameter replaced by the value the main stack passes
   * in, so a reference reads as in the main template (`{Ref: <main stack logical id>}`).
   */
  nestedResources(nested: NestedStack): Record<string, any>;
  dispose(): void;
}

export interface SynthesisOptions {
  /** Overrides on top of cdk.json's context. */
  readonly context?: Record<string, unknown>;
  /**
   * Bundle the handlers with esbuild as `cdk synth` does. Off, the functions get
   * placeholder code: every property except the code itself is the same.
   */
  readonly bundle?: boolean;
}

/** Builds and synthesizes the app once (cdk-nag included, cfn-guard not); a cdk-nag finding makes this throw. */
export function synthesize(options: SynthesisOptions = {}): Synthesized {
  const outdir = mkdtempSync(path.join(tmpdir(), 'linked-resolution-cdk-'));
  const context: Record<string, unknown> = { ...cdkJsonContext(), ...options.context };
  if (!options.bundle) context['aws:cdk:bundling-stacks'] = [];
  // cfn-guard runs in tests/infra/cdk-nag.test.ts; here only cdk-nag, to keep each synthesis short.
  const built = buildApp({ outdir, context }, { cfnGuard: false });
  built.app.synth();
  const template = Template.fromStack(built.stack);
  return {
    ...built,
    template,
    outdir,
    logicalId: (construct) => {
      const element = (construct.node.defaultChild ?? construct) as CfnElement;
      return built.stack.getLogicalId(element);
    },
    nestedResources: (nested) => {
      const parameters: Record<string, unknown> =
        template.toJSON().Resources[built.stack.getLogicalId(nested.nestedStackResource as CfnElement)]?.Properties?.Parameters ?? {};
      const substitute = (value: unknown): unknown => {
        if (Array.isArray(value)) return value.map(substitute);
        if (value && typeof value === 'object') {
          const ref = (value as { Ref?: unknown }).Ref;
          if (typeof ref === 'string' && ref in parameters && Object.keys(value).length === 1) return parameters[ref];
          return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v)]));
        }
        return value;
      };
      return substitute(Template.fromStack(nested).toJSON().Resources) as Record<string, any>;
    },
    dispose: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

export interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

/** Every Allow statement of the IAM policies attached to the role with this logical id. */
export function statementsOfRole(template: Template, roleLogicalId: string): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((policy) =>
      (policy.Properties.Roles as unknown[]).some(
        (role) => JSON.stringify(role) === JSON.stringify({ Ref: roleLogicalId }),
      ),
    )
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[])
    .filter((statement) => statement.Effect === 'Allow');
}

export const actionsOf = (statements: readonly Statement[]): string[] =>
  statements.flatMap((statement) => [statement.Action].flat());
