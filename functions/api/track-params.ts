import * as z from 'zod/mini';
import '../domain/zod-locale';

/** GET /v1/track/{code}: the code as typed; reading it forgives case, spaces and the usual slips. */
export const TrackParamsSchema = z.strictObject({ code: z.string().check(z.minLength(1), z.maxLength(32)) });

/** Look-ups a client may make per window: enough for a citizen, far too few to walk the code space (2^40). The complainant's PIN routes have a budget as large, of their own. */
export const TRACK_BUDGET = { perWindow: 30, windowSeconds: 60 } as const;
