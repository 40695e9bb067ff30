/**
 * Registers mediation's refusals and field messages (texts/refusals.ts) on import, as the PIN
 * routes register theirs. Imported by the mediation routes, the only functions that deliver a
 * mediation action or read its file and statistics, so every other API function leaves them out.
 */
import type { CatalogueEntry } from '../texts/catalogue';
import { ERROR_TEXTS, FIELD_TEXTS } from '../texts/refusals';
import { MEDIATION_ERROR_TEXTS, MEDIATION_FIELD_TEXTS } from './texts';

Object.assign(ERROR_TEXTS as Record<string, CatalogueEntry>, MEDIATION_ERROR_TEXTS);
Object.assign(FIELD_TEXTS as Record<string, CatalogueEntry>, MEDIATION_FIELD_TEXTS);
