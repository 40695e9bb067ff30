/**
 * The tracking code a citizen gets at intake (查询码): eight characters of Crockford's base 32
 * (40 random bits) and a check character, printed as `XXXX-XXXX-C`. The alphabet has no I, L,
 * O or U, and reading a code forgives the usual slips (O for 0, I or L for 1, lower case, spaces,
 * hyphens); the check character catches any single wrong character.
 */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const BODY_LENGTH = 8;
/** Odd weights are invertible modulo 32, so changing any one character always changes the check. */
const WEIGHTS = [1, 3, 5, 7, 9, 11, 13, 15];

function checkCharacter(body: string): string {
  let sum = 0;
  for (let i = 0; i < BODY_LENGTH; i++) sum += WEIGHTS[i] * ALPHABET.indexOf(body[i]);
  return ALPHABET[sum % 32];
}

const format = (body: string) => `${body.slice(0, 4)}-${body.slice(4)}-${checkCharacter(body)}`;

/** A new code from 40 random bits (`random` for tests). */
export function newTrackingCode(random: (bytes: number) => Buffer = randomBytes): string {
  const bytes = random(5);
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  let body = '';
  for (let i = 0; i < BODY_LENGTH; i++) body = ALPHABET[Number((value >> BigInt(5 * i)) & 31n)] + body;
  return format(body);
}

/**
 * The code as typed, in its canonical form, or undefined when it cannot be one (wrong length,
 * a character outside the alphabet, or a check character that does not fit: a typo).
 */
export function readTrackingCode(typed: string): string | undefined {
  const cleaned = typed
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (cleaned.length !== BODY_LENGTH + 1 || [...cleaned].some((c) => !ALPHABET.includes(c))) return undefined;
  const body = cleaned.slice(0, BODY_LENGTH);
  return checkCharacter(body) === cleaned[BODY_LENGTH] ? format(body) : undefined;
}

export const TRACKING_CODE_PATTERN = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]$/;
