/**
 * Each unit's duty contacts (config/contacts.json): SMS phones, email addresses, an optional
 * HTTPS webhook (the agency's own system) and quiet hours for non-urgent messages. Not part of
 * the public directory. Validated once when loaded: a bad phone, address, URL or time names its
 * unit, so the local stack refuses to start and the CDK app refuses to synthesize.
 */
import * as z from 'zod/mini';
import '../zod-locale';
import contactsJson from '../../../config/contacts.json';
import { defaultDirectory, type UnitDirectory } from '../directory';

/** A mainland mobile number: 11 digits from 1[3-9], optionally written +86. */
export const PHONE = /^(\+86)?1[3-9]\d{9}$/;
/** An address with one @, a dotted domain and no spaces: what providers accept. */
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const CLOCK_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export const UnitContactsSchema = z.strictObject({
  sms: z.array(z.string().check(z.regex(PHONE, 'not a mainland mobile number'))).check(z.maxLength(5)),
  email: z.array(z.string().check(z.regex(EMAIL, 'not an email address'))).check(z.maxLength(5)),
  webhook: z.optional(z.url({ protocol: /^https$/, error: 'must be an https URL' })),
  /** Asia/Shanghai wall-clock times; `from` after `to` spans midnight. */
  quietHours: z.optional(z.strictObject({ from: z.string().check(z.regex(CLOCK_TIME)), to: z.string().check(z.regex(CLOCK_TIME)) })),
});
export type UnitContacts = z.infer<typeof UnitContactsSchema>;

export interface ContactBook {
  /** The unit's contacts; a unit with no entry has none (nothing is sent to it). */
  of(unit: string): UnitContacts | undefined;
  readonly units: readonly string[];
}

export class ContactsError extends Error {
  override readonly name = 'ContactsError';
}

/** Validates the file's content against the schema and the directory; the first problem of each unit is named. */
export function loadContacts(data: unknown, directory: UnitDirectory = defaultDirectory): ContactBook {
  if (!data || typeof data !== 'object' || typeof (data as { units?: unknown }).units !== 'object' || (data as { units?: unknown }).units === null) {
    throw new ContactsError('config/contacts.json: expected an object with "units"');
  }
  const units = (data as { units: Record<string, unknown> }).units;
  const problems: string[] = [];
  const book = new Map<string, UnitContacts>();
  for (const [unit, raw] of Object.entries(units)) {
    if (!directory.get(unit)) {
      problems.push(`unit ${unit}: not in the unit directory`);
      continue;
    }
    const parsed = UnitContactsSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const where = issue.path.length ? issue.path.join('.') : '(entry)';
      const value = issue.path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k as PropertyKey] : undefined), raw);
      problems.push(`unit ${unit}: ${where} ${typeof value === 'string' ? `"${value}" ` : ''}is invalid (${issue.message})`);
      continue;
    }
    book.set(unit, parsed.data);
  }
  if (problems.length) throw new ContactsError(`config/contacts.json: ${problems.join('; ')}`);
  return { of: (unit) => book.get(unit), units: [...book.keys()] };
}

let loaded: ContactBook | undefined;
/** The repository's contacts, validated on first use. */
export const defaultContacts = (): ContactBook => (loaded ??= loadContacts(contactsJson));

const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/**
 * When a non-urgent message to this unit may go out: `atMs` itself outside quiet hours, else the
 * end of the quiet hours (Asia/Shanghai, no daylight saving).
 */
export function notBefore(contacts: UnitContacts | undefined, atMs: number): number {
  const quiet = contacts?.quietHours;
  if (!quiet) return atMs;
  const from = minutesOf(quiet.from);
  const to = minutesOf(quiet.to);
  if (from === to) return atMs;
  const local = atMs + SHANGHAI_OFFSET_MS;
  const dayStart = local - (((local % 86_400_000) + 86_400_000) % 86_400_000);
  const minute = Math.floor((local - dayStart) / 60_000);
  const inQuiet = from < to ? minute >= from && minute < to : minute >= from || minute < to;
  if (!inQuiet) return atMs;
  const endDay = from < to || minute < to ? dayStart : dayStart + 86_400_000;
  return endDay + to * 60_000 - SHANGHAI_OFFSET_MS;
}
