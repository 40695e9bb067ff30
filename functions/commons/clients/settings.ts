/*
 * What every SDK client shares. Each service's client has its own module under
 * functions/commons/clients/, so a bundle requires only the SDK packages its function uses.
 * Endpoints come from the SDK's own settings (AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_SFN,
 * AWS_ENDPOINT_URL_SNS), which is all the local stack changes: no handler knows where it runs.
 */

/**
 * Retries for every SDK call: the SDK's standard mode, which backs off exponentially with full
 * jitter (a random share of a ceiling that doubles with each retry, longer for throttling,
 * capped at 20 s) and stops retrying when its retry budget runs dry. Five attempts ride out a
 * throttled second and stay well inside API Gateway's 30-second limit.
 */
export const SDK_RETRY = { retryMode: 'standard', maxAttempts: 5 } as const;

/** Required configuration, read when first used so a missing value fails loudly and early. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Environment variable ${name} is not set.`);
  return value;
}
