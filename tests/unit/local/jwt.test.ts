import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { ALLOWED_SKEW_SECONDS, LOCAL_AUDIENCE, LOCAL_ISSUER, loadOrCreateKeys, signToken, verifyBearer, type LocalKeys } from '../../../local/jwt';

/** The local verifier refuses every token API Gateway's JWT authorizer refuses. */
const NOW_MS = Date.parse('2026-03-09T01:00:00Z');
const NOW = NOW_MS / 1000;
let dir: string;
let keys: LocalKeys;
let foreign: LocalKeys;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jwt-test-'));
  keys = await loadOrCreateKeys(join(dir, 'own'));
  foreign = await loadOrCreateKeys(join(dir, 'foreign'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Claims {
  iss?: string;
  aud?: string;
  iat?: number;
  nbf?: number;
  exp?: number;
}

/** A token with exactly these registered claims (absent ones left out), signed with `by`. */
function token(claims: Claims, by: LocalKeys = keys): Promise<string> {
  return new SignJWT({ unit: 'supervision-centre', role: 'supervisor', sub: 'someone', ...claims })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
    .sign(by.privateKey);
}

const good: Claims = { iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, iat: NOW - 60, exp: NOW + 3600 };
const verify = async (t: string) => verifyBearer(keys, `Bearer ${t}`, NOW_MS);

test('a token signed by `npm run token` (and one within the allowed skew) is accepted', async () => {
  expect(await verifyBearer(keys, `Bearer ${await signToken(keys, { sub: 's', unit: 'u', role: 'r' })}`)).toMatchObject({ unit: 'u', role: 'r' });
  expect(await verify(await token(good))).toMatchObject({ role: 'supervisor' });
  expect(await verify(await token({ ...good, iat: NOW + ALLOWED_SKEW_SECONDS - 1, nbf: NOW + ALLOWED_SKEW_SECONDS - 1 }))).toBeDefined();
  expect(await verify(await token({ ...good, exp: NOW - ALLOWED_SKEW_SECONDS + 1 }))).toBeDefined();
  expect(await verify(await token({ ...good, iat: undefined }))).toBeDefined(); // iat is optional, as in RFC 7519
});

test.each<[string, Claims]>([
  ['no exp', { ...good, exp: undefined }],
  ['an exp past the skew', { ...good, exp: NOW - ALLOWED_SKEW_SECONDS - 1 }],
  ['an iat in the future', { ...good, iat: NOW + ALLOWED_SKEW_SECONDS + 5 }],
  ['an nbf in the future', { ...good, nbf: NOW + ALLOWED_SKEW_SECONDS + 5 }],
  ['another issuer', { ...good, iss: 'urn:someone-else' }],
  ['no issuer', { ...good, iss: undefined }],
  ['another audience', { ...good, aud: 'another-api' }],
  ['no audience', { ...good, aud: undefined }],
  ['a foreign key', good],
])('a token with %s is refused', async (what, claims) => {
  const by = what === 'a foreign key' ? foreign : keys;
  expect(await verify(await token(claims, by))).toBeUndefined();
});

test('an unsigned token (alg none) and a malformed header are refused', async () => {
  const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
  const body = Buffer.from(JSON.stringify({ ...good, unit: 'u', role: 'supervisor' })).toString('base64url');
  expect(await verify(`${header}.${body}.`)).toBeUndefined();
  expect(await verifyBearer(keys, `Basic ${await token(good)}`, NOW_MS)).toBeUndefined();
  expect(await verifyBearer(keys, undefined, NOW_MS)).toBeUndefined();
});
