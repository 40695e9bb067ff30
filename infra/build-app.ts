import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readSettings } from './settings';
import { LinkedResolutionStack } from './stack';

export interface BuiltApp {
  readonly app: App;
  readonly stack: LinkedResolutionStack;
}

/**
 * The CDK app as `cdk synth` builds it, cdk-nag's AWS Solutions checks included; tests
 * call it with their own context and output directory.
 */
export function buildApp(props: AppProps = {}): BuiltApp {
  const app = new App(props);
  const settings = readSettings(app.node);
  const stack = new LinkedResolutionStack(app, `LinkedResolution-${settings.stage}`, {
    ...settings,
    description: `Linked resolution of citizens' complaints (${settings.stage})`,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
