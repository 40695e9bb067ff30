/**
 * Cases as GeoReport v2 service requests, and a posted request as intake's body. Both are pure.
 *
 * What a request shows is built from the public status (functions/domain/public-status.ts) plus
 * the case id and its times, field by field: never the title or description, the complainant,
 * the address or coordinates, a handler, notes or messages (docs/open311.md, deviations).
 */
import * as z from 'zod/mini';
import '../domain/zod-locale';
import type { CaseRecord, CreateCaseBody } from '../domain/case';
import { CreateCaseBodySchema, InstantSchema } from '../domain/case';
import { isCategoryId } from '../domain/categories';
import { publicStatus } from '../domain/public-status';
import { formatParams, type TextContext } from '../domain/texts/format';
import { OPEN311_TEXTS } from '../domain/texts/open311-texts';
import { schemaMessage } from '../domain/texts/render';
import { zodLocaleError } from '../commons/zod-languages';
import { open311Error } from './http';
import { ATTRIBUTE_CODES } from './services';
import { open311FieldOf } from './field-names';
import type { Value } from './document';

type Row = { readonly [key: string]: Value };

const say = (key: keyof typeof OPEN311_TEXTS, params: Record<string, string>, texts: TextContext) =>
  (OPEN311_TEXTS[key][texts.lang] as (p: Record<string, string>) => string)(formatParams(params, texts));

/** What the public may know of what the case is waiting for: the responsible unit, and the due date while open. */
export function serviceNotice(record: CaseRecord, texts: TextContext): string {
  const status = publicStatus(record, [], texts);
  return status.status === 'closed' || !status.dueAt
    ? say('notice-closed', { unit: status.unitName }, texts)
    : say('notice', { unit: status.unitName, dueAt: status.dueAt }, texts);
}

const latest = (...instants: Array<string | undefined>): string =>
  instants.filter((at): at is string => !!at).reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));

/** One case as a service request. */
export function serviceRequest(record: CaseRecord, texts: TextContext): Row {
  const status = publicStatus(record, [], texts);
  const notes =
    status.stage === 'resolved'
      ? say('resolved', { result: status.result ?? '' }, texts)
      : status.stage === 'closed'
        ? say('closed', { result: status.result ?? '' }, texts)
        : say(status.stage, {}, texts);
  return {
    service_request_id: record.id,
    status: status.status,
    status_notes: notes,
    service_name: status.categoryName,
    service_code: record.category,
    agency_responsible: status.unitName,
    service_notice: serviceNotice(record, texts),
    requested_datetime: record.createdAt,
    updated_datetime: latest(record.createdAt, record.windowStartedAt, record.signedOffAt, record.resolution?.at, record.closedAt),
    expected_datetime: status.dueAt,
  };
}

/** The fields of a POST, as the spec names them (form fields, or a JSON object's members). */
export type PostedFields = Readonly<Record<string, string | undefined>>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const CJK = /[\u3400-\u9fff]/;

const trimmed = (value: string | undefined) => (value === undefined ? undefined : value.trim() || undefined);

function coordinate(value: string | undefined, limit: number, code: 'open311-lat-range' | 'open311-long-range'): number | undefined {
  if (value === undefined) return undefined;
  const number = /^\s*[-+]?(?:\d+\.?\d*|\.\d+)\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isFinite(number) || Math.abs(number) > limit) throw open311Error(400, code);
  return number;
}

/** A name as people write it: family name first without a space in Chinese, given name first otherwise. */
function personName(first: string | undefined, last: string | undefined): string | undefined {
  if (!first && !last) return undefined;
  if (first && last) return CJK.test(first + last) ? `${last}${first}` : `${first} ${last}`;
  return first ?? last;
}

/** A case's title from what the spec gives: the description's first line, shortened. */
function titleOf(description: string): string {
  const line = description.split(/\r?\n/)[0].trim();
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}

/**
 * A posted service request as intake's body (the same CreateCaseBodySchema POST /v1/cases
 * validates), for a caller of `role`. Every fault is the spec's 400 with what to fix.
 */
export function intakeBodyOf(fields: PostedFields, role: 'community' | 'supervisor', texts: TextContext): CreateCaseBody {
  const serviceCode = trimmed(fields.service_code);
  if (!serviceCode) throw open311Error(400, 'open311-service-code-missing');
  if (!isCategoryId(serviceCode)) throw open311Error(400, 'open311-service-code-unknown', { serviceCode: serviceCode.slice(0, 64) });

  const lat = coordinate(trimmed(fields.lat), 90, 'open311-lat-range');
  const long = coordinate(trimmed(fields.long), 180, 'open311-long-range');
  if ((lat === undefined) !== (long === undefined)) throw open311Error(400, 'open311-lat-long-pair');
  const address = trimmed(fields.address_string);
  if (lat === undefined && !address) throw open311Error(400, trimmed(fields.address_id) ? 'open311-address-id-unsupported' : 'open311-location-missing');

  let description = trimmed(fields.description);
  if (!description) throw open311Error(400, 'open311-description-missing');
  const mediaUrl = trimmed(fields.media_url);
  if (mediaUrl !== undefined) {
    if (mediaUrl.length > 1000 || !/^https?:\/\/[^\s]+$/i.test(mediaUrl) || !URL.canParse(mediaUrl)) throw open311Error(400, 'open311-media-url');
    description = `${description}\n\nmedia_url: ${mediaUrl}`;
  }

  const email = trimmed(fields.email);
  if (email !== undefined && (email.length > 254 || !EMAIL.test(email))) throw open311Error(400, 'open311-email');
  const phone = trimmed(fields.phone);
  const name = personName(trimmed(fields.first_name), trimmed(fields.last_name));
  if (!name && (phone || email)) throw open311Error(400, 'open311-name-needed');

  const community = trimmed(fields[`attribute[${ATTRIBUTE_CODES.community}]`]);
  if (role === 'supervisor' && !community) throw open311Error(400, 'open311-community-needed');
  const occurredAt = trimmed(fields[`attribute[${ATTRIBUTE_CODES.occurredAt}]`]);
  if (occurredAt !== undefined && !z.safeParse(InstantSchema, occurredAt).success) throw open311Error(400, 'open311-date', { field: `attribute[${ATTRIBUTE_CODES.occurredAt}]` });

  const candidate = {
    title: titleOf(description),
    description,
    category: serviceCode,
    reportedVia: 'web',
    ...(name ? { complainant: { name, ...(phone ? { phone } : {}) } } : {}),
    location: { ...(address ? { address } : {}), ...(lat !== undefined ? { latitude: lat, longitude: long } : {}) },
    ...(role === 'supervisor' ? { originUnit: community } : {}),
    ...(occurredAt ? { occurredAt } : {}),
  };
  const parsed = z.safeParse(CreateCaseBodySchema, candidate, { error: zodLocaleError(texts.lang) });
  if (!parsed.success) {
    const [first] = parsed.error.issues;
    const path = first.path.map(String).join('.');
    throw open311Error(400, 'open311-field', { field: open311FieldOf(path), message: schemaMessage(first.message, texts.lang) });
  }
  return parsed.data;
}


/** A case id (a ULID): anything else names no request and is not looked up. */
export const CASE_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** GET requests: at most this many ids at once, this many days at once, this many answers. */
export const LISTING_LIMITS = { ids: 50, days: 90, results: 1000 } as const;

export interface RequestFilter {
  readonly ids?: readonly string[];
  readonly serviceCodes?: readonly string[];
  readonly statuses?: ReadonlyArray<'open' | 'closed'>;
  readonly startMs: number;
  readonly endMs: number;
}

const list = (value: string | undefined) => (value ?? '').split(',').map((part) => part.trim()).filter(Boolean);

function instant(value: string | undefined, field: string): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (!z.safeParse(InstantSchema, value.trim()).success) throw open311Error(400, 'open311-date', { field });
  return Date.parse(value.trim());
}

/**
 * The spec's filters. service_request_id overrides the others; without dates the last 90 days
 * are listed; a range longer than 90 days is refused rather than cut short silently.
 */
export function requestFilterOf(query: Readonly<Record<string, string | undefined>>, nowMs: number): RequestFilter {
  const dayMs = 86_400_000;
  if (query.service_request_id !== undefined) {
    const ids = list(query.service_request_id);
    if (ids.length === 0 || ids.length > LISTING_LIMITS.ids) throw open311Error(400, 'open311-ids', { max: LISTING_LIMITS.ids });
    return { ids, startMs: 0, endMs: nowMs };
  }
  const start = instant(query.start_date, 'start_date');
  const end = instant(query.end_date, 'end_date');
  const endMs = end ?? (start !== undefined ? Math.min(start + LISTING_LIMITS.days * dayMs, Math.max(nowMs, start)) : nowMs);
  const startMs = start ?? endMs - LISTING_LIMITS.days * dayMs;
  if (startMs > endMs || endMs - startMs > LISTING_LIMITS.days * dayMs) throw open311Error(400, 'open311-date-range', { days: LISTING_LIMITS.days });
  const statuses = list(query.status);
  if (statuses.some((status) => status !== 'open' && status !== 'closed')) throw open311Error(400, 'open311-status');
  const serviceCodes = list(query.service_code);
  const unknown = serviceCodes.find((code) => !isCategoryId(code));
  if (unknown !== undefined) throw open311Error(400, 'open311-service-code-unknown', { serviceCode: unknown.slice(0, 64) });
  return {
    startMs,
    endMs,
    ...(serviceCodes.length ? { serviceCodes } : {}),
    ...(statuses.length ? { statuses: statuses as Array<'open' | 'closed'> } : {}),
  };
}

/** Whether a case falls in the filter (for ranges: requested within it, both ends included). */
export function matches(record: CaseRecord, filter: RequestFilter): boolean {
  const created = Date.parse(record.createdAt);
  if (created < filter.startMs || created > filter.endMs) return false;
  if (filter.serviceCodes && !filter.serviceCodes.includes(record.category)) return false;
  if (filter.statuses && !filter.statuses.includes(record.status === 'closed' ? 'closed' : 'open')) return false;
  return true;
}
