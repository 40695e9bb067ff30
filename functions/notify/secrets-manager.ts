/**
 * Reads one secret's string from AWS Secrets Manager (`GetSecretValue`, its JSON protocol) with
 * fetch and a Signature Version 4 computed here with node:crypto, with the function's own
 * credentials (the Lambda runtime's AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN).
 * Neither @aws-sdk/client-secrets-manager (not a dependency of the project; its endpoint rules
 * and serializers for one call a cold start) nor @smithy/signature-v4: only `@aws-sdk/*` is left
 * to the runtime (infra/bundling.ts), so importing the signer bundles it with @smithy/core,
 * measured at 141 kB in the workflow's bundle, which its budget cannot take; this file is about 2 kB.
 * The signature is checked in tests/unit/notifications/aliyun-sms.test.ts by @smithy/signature-v4
 * itself (local/sigv4.ts recomputes it). The endpoint follows the partition (amazonaws.com.cn in
 * China's regions) unless AWS_ENDPOINT_URL_SECRETS_MANAGER names one, as the SDK's setting does.
 * The secret's value is never logged or put in an error.
 */
import { createHash, createHmac } from 'node:crypto';

const sha256Hex = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

/** The headers that sign `body` for a POST to `url`'s path, with no query (AWS Signature Version 4). */
export function sigV4Headers(input: {
  url: URL;
  headers: Readonly<Record<string, string>>;
  body: string;
  region: string;
  service: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  date: Date;
}): Record<string, string> {
  const amzDate = input.date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, ''); // 20261206T013000Z
  const day = amzDate.slice(0, 8);
  const headers: Record<string, string> = { ...input.headers, host: input.url.host, 'x-amz-date': amzDate };
  if (input.credentials.sessionToken) headers['x-amz-security-token'] = input.credentials.sessionToken;
  const names = Object.keys(headers).map((name) => name.toLowerCase()).sort();
  const lower = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value.trim().replace(/\s+/g, ' ')]));
  const signedHeaders = names.join(';');
  const canonicalRequest = ['POST', input.url.pathname || '/', '', ...names.map((name) => `${name}:${lower[name]}`), '', signedHeaders, sha256Hex(input.body)].join('\n');
  const scope = `${day}/${input.region}/${input.service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${input.credentials.secretAccessKey}`, day), input.region), input.service), 'aws4_request');
  const signature = createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
  return {
    ...headers,
    authorization: `AWS4-HMAC-SHA256 Credential=${input.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}

export const secretsManagerEndpoint = (region: string): string =>
  `https://secretsmanager.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}/`;

export interface SecretReadOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

/** The SecretString of `secretId` (a name or ARN); throws with Secrets Manager's error type, never the value. */
export async function readSecretString(secretId: string, options: SecretReadOptions = {}): Promise<string> {
  const env = options.env ?? process.env;
  const region = env.AWS_REGION;
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!region || !accessKeyId || !secretAccessKey) throw new Error('Reading a secret needs AWS_REGION and the function\'s credentials in its environment.');
  const url = new URL(env.AWS_ENDPOINT_URL_SECRETS_MANAGER ?? secretsManagerEndpoint(region));
  const body = JSON.stringify({ SecretId: secretId });
  const headers = sigV4Headers({
    url,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.GetSecretValue' },
    body,
    region,
    service: 'secretsmanager',
    credentials: { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN || undefined },
    date: new Date(),
  });
  const response = await (options.fetch ?? fetch)(url, {
    method: 'POST',
    headers,
    body,
    signal: AbortSignal.timeout(options.timeoutMs ?? 3_000),
  });
  const answer = (await response.json().catch(() => ({}))) as { SecretString?: unknown; __type?: unknown };
  if (!response.ok || typeof answer.SecretString !== 'string') {
    const type = typeof answer.__type === 'string' ? answer.__type.split('#').pop() : 'no SecretString';
    throw new Error(`Secrets Manager did not give the secret ${secretId}: HTTP ${response.status} ${type}`);
  }
  return answer.SecretString;
}
