/**
 * What the console needs to know about where it runs, read from `config.json` beside it:
 * the local stack serves one (same origin, local sign-in, virtual clock); in AWS the
 * deployment writes one with the API's URL and the Cognito hosted-UI settings.
 */
export interface CognitoSettings {
  /** Hosted-UI base URL, e.g. https://city.auth.ap-east-1.amazoncognito.com */
  readonly domain: string;
  readonly clientId: string;
  readonly scopes?: readonly string[];
  /** Which token the API's JWT authorizer is set up for. */
  readonly tokenUse?: 'access' | 'id';
}

export interface ConsoleConfig {
  /** Base URL of the HTTP API without a trailing slash; '' for the console's own origin. */
  readonly apiBaseUrl: string;
  readonly refreshSeconds: number;
  readonly auth: { readonly mode: 'local' } | { readonly mode: 'token' } | ({ readonly mode: 'cognito' } & CognitoSettings);
  /** Local stack only: its virtual clock, delivered alerts and token signer. */
  readonly local?: { readonly clock: string; readonly alerts: string; readonly token: string };
}

const DEFAULTS: ConsoleConfig = { apiBaseUrl: '', refreshSeconds: 5, auth: { mode: 'token' } };

let loaded: ConsoleConfig = DEFAULTS;

export async function loadConfig(): Promise<ConsoleConfig> {
  try {
    const response = await fetch(`${import.meta.env.BASE_URL}config.json`, { cache: 'no-store' });
    if (response.ok) {
      const read = (await response.json()) as Partial<ConsoleConfig>;
      loaded = {
        ...DEFAULTS,
        ...read,
        apiBaseUrl: (read.apiBaseUrl ?? '').replace(/\/+$/, ''),
        refreshSeconds: Math.max(1, Number(read.refreshSeconds ?? DEFAULTS.refreshSeconds)),
      };
    }
  } catch {
    // No config.json: same-origin API and a pasted token.
  }
  return loaded;
}

export const config = (): ConsoleConfig => loaded;
