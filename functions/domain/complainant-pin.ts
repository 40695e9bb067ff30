/**
 * The complainant's PIN (评价码): six digits sent with the result SMS of each result a unit
 * reports. With the case's tracking code it lets the complainant rate that result once and ask
 * once to reopen the case. Only a salted scrypt hash is kept (in an item of its own, never in the
 * case record, a timeline event, an API answer or a log); the PIN itself exists only in the SMS.
 *
 * Guessing is bounded twice: the tracking code (40 random bits) must be known first, and five
 * wrong PINs in a row lock the case's PIN for an hour (answered 429 with Retry-After), so one
 * case can be tried at most 120 times a day. The rules here are pure; drawing the PIN and its
 * salt are the two impure helpers at the top.
 */
import { randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';
import * as z from 'zod/mini';
import './zod-locale';
import { InstantSchema } from './case';

export const PIN_DIGITS = 6;
/** Wrong PINs in a row that lock the case's PIN. */
export const PIN_MAX_FAILURES = 5;
/** How long the lock lasts. */
export const PIN_LOCK_MS = 60 * 60 * 1000;

/** A new PIN: six decimal digits from a uniform draw. */
export const drawPin = (): string => String(randomInt(0, 10 ** PIN_DIGITS)).padStart(PIN_DIGITS, '0');
export const drawSalt = (): string => randomBytes(16).toString('base64url');

/**
 * scrypt's defaults (N = 16384, r = 8): about 30 ms a hash, so a stolen table still costs hours per
 * case to search. Asynchronous, on libuv's thread pool: a process that serves many requests (the
 * local stack, a replay) is not stopped for 30 ms by every result and every rating.
 */
export const hashPin = (pin: string, salt: string): Promise<string> =>
  new Promise((resolve, reject) => scrypt(pin, salt, 32, (error, key) => (error ? reject(error) : resolve(key.toString('base64url')))));

/** A PIN as typed: digits only (spaces and hyphens forgiven), else undefined. */
export function readPin(typed: string): string | undefined {
  const digits = typed.replace(/[\s-]/g, '');
  return new RegExp(`^\\d{${PIN_DIGITS}}$`).test(digits) ? digits : undefined;
}

/** The PIN of one result as kept: its hash, which result it belongs to, and its guard. */
export const PinRecordSchema = z.object({
  hash: z.string(),
  salt: z.string(),
  /** The result (resolution.at) this PIN was sent with; a new result replaces the PIN. */
  resultAt: InstantSchema,
  /** Drawn again when a dispatch died before its SMS left (each draw is an SMS of its own). */
  issue: z.number().check(z.int(), z.positive()),
  issuedAt: InstantSchema,
  /** Set once the result SMS carrying it was handed to the sender. */
  deliveredAt: z.optional(InstantSchema),
  /** Attempts since the last right PIN or the end of the last lock. */
  failures: z.number().check(z.int(), z.nonnegative()),
  lastAttemptAt: z.optional(InstantSchema),
  /** Spent by a reopening: the next result brings a new PIN. */
  spentAt: z.optional(InstantSchema),
});
export type PinRecord = z.infer<typeof PinRecordSchema>;

/** Until when the PIN is locked at `nowMs`, if it is: five failures, and the last one less than an hour ago. */
export function lockedUntil(pin: Pick<PinRecord, 'failures' | 'lastAttemptAt'>, nowMs: number): number | undefined {
  if (pin.failures < PIN_MAX_FAILURES || !pin.lastAttemptAt) return undefined;
  const until = Date.parse(pin.lastAttemptAt) + PIN_LOCK_MS;
  return until > nowMs ? until : undefined;
}

export type PinVerdict =
  | { readonly ok: true }
  /** Not this case's current PIN, or none was sent: 403. */
  | { readonly ok: false; readonly reason: 'wrong' | 'no-pin' | 'expired' | 'used' };

/**
 * Whether `typed` is the current PIN of the case's current result and still good: not spent by a
 * reopening, not past `expiresAtMs` (the end of the reopening window once the case is closed).
 * The lock is checked before (see `lockedUntil`); a wrong PIN counts towards it.
 */
export async function verifyPin(pin: PinRecord | undefined, typed: string, currentResultAt: string | undefined, nowMs: number, expiresAtMs?: number): Promise<PinVerdict> {
  if (!pin || !currentResultAt) return { ok: false, reason: 'no-pin' };
  const digits = readPin(typed);
  const expected = Buffer.from(pin.hash, 'base64url');
  const actual = digits ? Buffer.from(await hashPin(digits, pin.salt), 'base64url') : Buffer.alloc(expected.length);
  const matches = digits !== undefined && actual.length === expected.length && timingSafeEqual(actual, expected);
  if (!matches) return { ok: false, reason: 'wrong' };
  if (pin.resultAt !== currentResultAt) return { ok: false, reason: 'expired' };
  if (pin.spentAt) return { ok: false, reason: 'used' };
  if (expiresAtMs !== undefined && nowMs > expiresAtMs) return { ok: false, reason: 'expired' };
  return { ok: true };
}
