import * as z from 'zod/mini';
import { errorText } from '../domain/errors';
import '../domain/zod-locale';
import { CASE_STATUSES, ComplainantSchema, UnitIdSchema } from '../domain/case';
import { CATEGORY_IDS } from '../domain/categories';
import { LIGHTS } from '../domain/light';
import { badRequest } from '../commons/problems';

/*
 * Path and query schemas shared by handlers and the OpenAPI document. Kept apart from the
 * handlers so the document (and its public route) does not load the SDK clients they use.
 */

/** Case ids are ULIDs: 26 Crockford base-32 characters. */
export const CaseIdParamsSchema = z.strictObject({ id: z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'a case id (26 characters)')) });

/** A co-handling unit's part of a case: /v1/cases/{id}/co-handlers/{unit}/… */
export const CoHandlerParamsSchema = /* @__PURE__ */ (() => z.strictObject({ id: CaseIdParamsSchema.shape.id, unit: UnitIdSchema }))();

/**
 * GET /v1/cases: filters, page size and the cursor of the page before. Pure (an IIFE esbuild may
 * drop), as the schemas of one route below: built only in the functions that use them.
 */
export const ListCasesQuerySchema = /* @__PURE__ */ (() =>
  z.strictObject({
  unit: z.optional(UnitIdSchema),
  status: z.optional(z.enum(CASE_STATUSES)),
  light: z.optional(z.enum(LIGHTS)),
  tier: z.optional(z.pipe(z.enum(['0', '1', '2', '3']), z.transform(Number))),
  month: z.optional(z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as yyyy-mm'))),
  limit: z.optional(
    z.pipe(
      z.pipe(z.string().check(z.regex(/^\d+$/, 'a whole number from 1 to 100')), z.transform(Number)),
      z.number().check(z.int(), z.minimum(1), z.maximum(100)),
    ),
  ),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
  /** `true`: the cases in which the unit owes a co-handling part, instead of those it holds or accepted. */
  coHandling: z.optional(z.enum(['true'])),
  /** A keyword (2–100 characters) in the title, description or address, or the start of the case id. */
  q: z.optional(z.string().check(z.trim(), z.minLength(2, 'a keyword of 2 to 100 characters'), z.maxLength(100, 'a keyword of 2 to 100 characters'))),
  district: z.optional(UnitIdSchema),
  category: z.optional(z.enum(CATEGORY_IDS)),
  /** The complainant's phone, exactly: the supervisor only. */
  phone: z.optional(ComplainantSchema.shape.phone.def.innerType),
  /** `due` (default): by next deadline, or the index's order; `light`: red first, then yellow, then green. */
  sort: z.optional(z.enum(['due', 'light'])),
}))();

/** GET /v1/cases/{id}/execution: events a page (newest first) and the cursor of older ones. */
export const ExecutionQuerySchema = /* @__PURE__ */ (() =>
  z.strictObject({
  limit: z.optional(
    z.pipe(
      z.pipe(z.string().check(z.regex(/^\d+$/, 'a whole number from 1 to 1000')), z.transform(Number)),
      z.number().check(z.int(), z.minimum(1), z.maximum(1000)),
    ),
  ),
  before: z.optional(z.string().check(z.minLength(1), z.maxLength(4096))),
}))();

export const IdempotencyKeySchema = z.string().check(z.regex(/^[A-Za-z0-9_.:-]{1,128}$/, '1–128 letters, digits or _ . : -'));

/** The request's Idempotency-Key header, if it sent one; a malformed one is refused. */
export function idempotencyKeyOf(headers: Readonly<Record<string, string | undefined>>): string | undefined {
  const key = headers['idempotency-key'];
  if (key !== undefined && !IdempotencyKeySchema.safeParse(key).success) {
    throw badRequest(errorText('idempotency-key-malformed'), [{ path: 'Idempotency-Key', message: '1–128 letters, digits or _ . : -' }]);
  }
  return key;
}
