import type { Node } from 'constructs';

/**
 * What differs between deployments, read from CDK context (defaults in cdk.json; override
 * with `-c key=value`):
 *   stage          dev | test | prod | ... ; `prod` keeps data stores when the stack goes
 *   jwtIssuer      the token issuer the API's JWT authorizer trusts (https URL)
 *   jwtAudience    accepted `aud` value(s), comma-separated on the command line
 *   alertEmail     optional: the supervision centre's address for every alert by email
 *   operationsEmail optional: the operators' address for every alarm by email
 *   consoleOrigin  optional: the operators' console origin allowed by CORS
 *   region         optional: the region the stage is for (e.g. cn-north-1). Known at synthesis,
 *                  it fixes the partition (aws-cn for cn-*), which decides what the stage may use:
 *                  China's regions have no CloudFront Functions or origin access control, so a
 *                  stage there has no console site (see infra/stack.ts). Unset: any region, `aws`.
 *   account        optional: the account id, with region
 */
export interface DeploymentSettings {
  readonly stage: string;
  readonly jwtIssuer: string;
  readonly jwtAudience: readonly string[];
  readonly alertEmail?: string;
  readonly operationsEmail?: string;
  readonly consoleOrigin?: string;
  readonly region?: string;
  readonly account?: string;
}

const STAGE_PATTERN = /^[a-z][a-z0-9-]{0,19}$/;

export function readSettings(node: Node): DeploymentSettings {
  const stage = requiredString(node, 'stage');
  if (!STAGE_PATTERN.test(stage)) {
    throw new Error(`Context "stage" must match ${STAGE_PATTERN} (it becomes part of resource names); got "${stage}".`);
  }
  const jwtIssuer = requiredString(node, 'jwtIssuer');
  if (!jwtIssuer.startsWith('https://')) {
    throw new Error(`Context "jwtIssuer" must be an https URL (API Gateway fetches its keys over TLS); got "${jwtIssuer}".`);
  }
  const jwtAudience = listOf(node.tryGetContext('jwtAudience'));
  if (jwtAudience.length === 0) throw new Error('Context "jwtAudience" must name at least one audience.');

  const alertEmail = optionalString(node, 'alertEmail');
  if (alertEmail !== undefined && !/^[^@\s]+@[^@\s]+$/.test(alertEmail)) {
    throw new Error(`Context "alertEmail" is not an email address: "${alertEmail}".`);
  }
  const operationsEmail = optionalString(node, 'operationsEmail');
  if (operationsEmail !== undefined && !/^[^@\s]+@[^@\s]+$/.test(operationsEmail)) {
    throw new Error(`Context "operationsEmail" is not an email address: "${operationsEmail}".`);
  }
  const consoleOrigin = optionalString(node, 'consoleOrigin');
  if (consoleOrigin !== undefined && !/^https?:\/\/[^/]+$/.test(consoleOrigin)) {
    throw new Error(`Context "consoleOrigin" must be an origin such as https://console.example.org; got "${consoleOrigin}".`);
  }
  const region = optionalString(node, 'region');
  if (region !== undefined && !/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(region)) {
    throw new Error(`Context "region" must be a region name such as cn-north-1; got "${region}".`);
  }
  const account = optionalString(node, 'account');
  if (account !== undefined && !/^\d{12}$/.test(account)) {
    throw new Error(`Context "account" must be a 12-digit account id; got "${account}".`);
  }
  return { stage, jwtIssuer, jwtAudience, alertEmail, operationsEmail, consoleOrigin, region, account };
}

function requiredString(node: Node, key: string): string {
  const value = optionalString(node, key);
  if (value === undefined) throw new Error(`Context "${key}" is required (set it in cdk.json or with -c ${key}=...).`);
  return value;
}

/** Unset and empty mean the same: `-c alertEmail=` switches a default off. */
function optionalString(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`Context "${key}" must be a string.`);
  return value.trim() || undefined;
}

function listOf(value: unknown): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  return items.map((item) => String(item).trim()).filter((item) => item.length > 0);
}
