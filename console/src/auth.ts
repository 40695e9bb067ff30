import { config, type CognitoSettings } from './config';
import { createStore } from './store';

/**
 * Who is signed in. The token is kept for this tab only (sessionStorage); its claims are
 * read here for display and for choosing what to show, never trusted: the API checks it.
 */
export interface Session {
  readonly token: string;
  readonly sub: string;
  readonly unit: string;
  readonly role: string;
  /** Expiry, epoch seconds, if the token says. */
  readonly exp?: number;
}

const SESSION_KEY = 'console.session';
const PKCE_KEY = 'console.pkce';

function readSession(): Session | null {
  try {
    const stored = sessionStorage.getItem(SESSION_KEY);
    return stored ? (JSON.parse(stored) as Session) : null;
  } catch {
    return null;
  }
}

export const sessionStore = createStore<Session | null>(readSession());
/** A reason to show on the sign-in page (an expired token, a failed hosted-UI return). */
export const signInNotice = createStore<string | null>(null);

function base64UrlDecode(part: string): string {
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** The claims of a JWT (unverified), or undefined when it is not one or lacks unit and role. */
export function sessionFromToken(token: string): Session | undefined {
  const parts = token.trim().split('.');
  if (parts.length !== 3) return undefined;
  try {
    const claims = JSON.parse(base64UrlDecode(parts[1])) as Record<string, unknown>;
    const unit = claims.unit ?? claims['custom:unit'];
    const role = claims.role ?? claims['custom:role'];
    if (typeof unit !== 'string' || typeof role !== 'string') return undefined;
    return {
      token: token.trim(),
      sub: typeof claims.sub === 'string' ? claims.sub : `${role}@${unit}`,
      unit,
      role,
      ...(typeof claims.exp === 'number' ? { exp: claims.exp } : {}),
    };
  } catch {
    return undefined;
  }
}

export function startSession(session: Session): void {
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  signInNotice.set(null);
  sessionStore.set(session);
}

export function signOut(notice: string | null = null): void {
  sessionStorage.removeItem(SESSION_KEY);
  signInNotice.set(notice);
  sessionStore.set(null);
  const auth = config().auth;
  if (auth.mode === 'cognito' && notice === null) {
    const logout = new URL('/logout', auth.domain);
    logout.searchParams.set('client_id', auth.clientId);
    logout.searchParams.set('logout_uri', redirectUri());
    location.assign(logout.toString());
  }
}

/** Local stack only: a token signed with the local keys for a unit and role. */
export async function signInLocally(unit: string, role: string): Promise<void> {
  const endpoint = config().local?.token;
  if (!endpoint) throw new Error('no local token endpoint');
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ unit, role }),
  });
  const body = (await response.json().catch(() => ({}))) as { token?: string; detail?: string };
  if (!response.ok || !body.token) throw new Error(body.detail ?? `HTTP ${response.status}`);
  const session = sessionFromToken(body.token);
  if (!session) throw new Error('the local stack returned an unusable token');
  startSession(session);
}

// ---- Cognito hosted UI: authorization code with PKCE (RFC 7636) ----

const redirectUri = () => `${location.origin}${import.meta.env.BASE_URL}`;

function randomUrlSafe(bytes: number): string {
  const random = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...random)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

async function challengeOf(verifier: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  return btoa(String.fromCharCode(...digest)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export async function startHostedSignIn(auth: CognitoSettings): Promise<void> {
  const verifier = randomUrlSafe(48);
  const state = randomUrlSafe(16);
  sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state }));
  const authorize = new URL('/oauth2/authorize', auth.domain);
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: auth.clientId,
    redirect_uri: redirectUri(),
    scope: (auth.scopes ?? ['openid', 'email', 'profile']).join(' '),
    state,
    code_challenge: await challengeOf(verifier),
    code_challenge_method: 'S256',
  }).toString();
  location.assign(authorize.toString());
}

/** On return from the hosted UI (`?code=&state=`): trade the code for tokens. */
export async function completeHostedSignIn(): Promise<void> {
  const auth = config().auth;
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  if (auth.mode !== 'cognito' || (!code && !params.get('error'))) return;
  history.replaceState(null, '', location.pathname);
  const stored = sessionStorage.getItem(PKCE_KEY);
  sessionStorage.removeItem(PKCE_KEY);
  const pkce = stored ? (JSON.parse(stored) as { verifier: string; state: string }) : undefined;
  if (params.get('error')) {
    signInNotice.set(params.get('error_description') ?? params.get('error'));
    return;
  }
  if (!pkce || pkce.state !== params.get('state')) {
    signInNotice.set('state mismatch: start the sign-in again');
    return;
  }
  const response = await fetch(new URL('/oauth2/token', auth.domain), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: auth.clientId,
      code: code as string,
      redirect_uri: redirectUri(),
      code_verifier: pkce.verifier,
    }),
  });
  const tokens = (await response.json().catch(() => ({}))) as { access_token?: string; id_token?: string; error?: string };
  const token = auth.tokenUse === 'id' ? tokens.id_token : tokens.access_token;
  const session = token ? sessionFromToken(token) : undefined;
  if (!response.ok || !session) {
    signInNotice.set(tokens.error ?? 'the identity service returned no token with unit and role claims');
    return;
  }
  startSession(session);
}
