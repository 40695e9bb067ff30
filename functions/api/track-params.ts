import * as z from 'zod/mini';
import '../domain/zod-locale';

/** GET /v1/track/{code}: the code as typed; reading it forgives case, spaces and the usual slips. */
export const TrackParamsSchema = z.strictObject({ code: z.string().check(z.minLength(1), z.maxLength(32)) });
