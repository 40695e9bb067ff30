import * as z from 'zod/mini';
import '../domain/zod-locale';

/** A single Open311 resource: one whole path segment, `<name>.<format>` (split by the handler, see document.ts). */
export const Open311FileParamsSchema = z.strictObject({ file: z.string().check(z.minLength(3), z.maxLength(200)) });
