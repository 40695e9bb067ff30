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

/** The verified claims, or undefined for a missing, malformed, expired or foreign token. */
export async function verifyBearer(keys: LocalKeys, authorization: string | undefined): Promise<JWTPayload | undefined> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) return undefined;
  try {
    const { payload } = await jwtVerify(match[1], keys.publicKey, {
      issuer: LOCAL_ISSUER,
      audience: LOCAL_AUDIENCE,
      algorithms: [ALGORITHM],
    });
    return payload;
  } catch {
    return undefined;
  }
}
