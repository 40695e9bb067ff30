import * as z from 'zod/mini';
import '../domain/zod-locale';
import { ListCasesQuerySchema } from './request-schemas';

const { limit: _limit, cursor: _cursor, ...filters } = ListCasesQuerySchema.shape;

/** GET /v1/cases/export: the list's filters (no page), the format, and whether to include the complainant. */
export const ExportCasesQuerySchema = z.strictObject({
  ...filters,
  format: z.optional(z.enum(['csv'])),
  /** `true`: add the complainant's name, phone and address (the supervisor may see them). */
  complainant: z.optional(z.enum(['true'])),
});
