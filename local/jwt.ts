import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SignJWT, exportJWK, generateKeyPair, importJWK, jwtVerify, type JWK, type JWTPayload } from 'jose';

/*
 * The local stand-in for the JWT authorizer: an RS256 key pair made on first use and kept in
 * the data folder (never committed), tokens signed by `npm run token`, and the same checks
 * API Gateway makes (signature, issuer, audience, expiry) before a handler sees the claims.
 */
export const LOCAL_ISSUER = 'urn:linked-resolution:local';
export const LOCAL_AUDIENCE = 'linked-resolution-api';
const ALGORITHM = 'RS256';

type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

export interface LocalKeys {
  readonly privateKey: SigningKey;
  readonly publicKey: SigningKey;
}

export async function loadOrCreateKeys(dataDir: string): Promise<LocalKeys> {
  const file = join(dataDir, 'jwt-keys.json');
  try {
    const stored = JSON.parse(await readFile(file, 'utf8')) as { privateJwk: JWK; publicJwk: JWK };
    return {
      privateKey: (await importJWK(stored.privateJwk, ALGORITHM)) as SigningKey,
      publicKey: (await importJWK(stored.publicJwk, ALGORITHM)) as SigningKey,
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { privateKey, publicKey } = await generateKeyPair(ALGORITHM, { extractable: true });
  await mkdir(dataDir, { recursive: true });
  const contents = { privateJwk: await exportJWK(privateKey), publicJwk: await exportJWK(publicKey) };
  await writeFile(file, JSON.stringify(contents), { mode: 0o600 });
  return { privateKey, publicKey };
}

export async function signToken(
  keys: LocalKeys,
  claims: { sub: string; unit: string; role: string },
  validForSeconds = 12 * 3600,
): Promise<string> {
  return new SignJWT({ unit: claims.unit, role: claims.role })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${validForSeconds}s`)
    .sign(keys.privateKey);
}

/**
 * Clock skew allowed between the signer and this verifier, in seconds: a token is refused once
 * `exp` is this far behind real time, and when `iat` or `nbf` is this far ahead of it.
 */
export const ALLOWED_SKEW_SECONDS = 60;

/**
 * Why a token is refused, or the verified claims. The checks are API Gateway's JWT authorizer's:
 * the signature, `iss`, `aud`, an `exp` that is present and not past, and an `iat` / `nbf` that is
 * not in the future when present (all against real time, as the token was signed in real time, not the stack's
 * virtual clock).
 */
export async function verifyToken(
  keys: LocalKeys,
  token: string,
  nowMs = Date.now(),
): Promise<{ ok: true; payload: JWTPayload } | { ok: false; reason: string }> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keys.publicKey, {
      issuer: LOCAL_ISSUER,
      audience: LOCAL_AUDIENCE,
      algorithms: [ALGORITHM],
      requiredClaims: ['exp'],
      clockTolerance: ALLOWED_SKEW_SECONDS,
      currentDate: new Date(nowMs),
    }));
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  // jose checks `nbf` and `exp`, but `iat` only with a maximum age: a token issued in the future is refused here.
  const nowSeconds = nowMs / 1000;
  if (payload.iat !== undefined && payload.iat > nowSeconds + ALLOWED_SKEW_SECONDS) return { ok: false, reason: 'iat is in the future' };
  return { ok: true, payload };
}

/** The verified claims, or undefined for a missing, malformed, expired, future or foreign token. */
export async function verifyBearer(keys: LocalKeys, authorization: string | undefined, nowMs = Date.now()): Promise<JWTPayload | undefined> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) return undefined;
  const verified = await verifyToken(keys, match[1], nowMs);
  return verified.ok ? verified.payload : undefined;
}
