/**
 * Registers mediation's timeline events and alerts in the event catalogue (texts/catalogue.ts)
 * on import. Imported by the modules that tell what happened to a case (the case view, the
 * workflow), so functions that never render a mediation event do not carry its texts.
 */
import { EVENT_TEXTS, type CatalogueEntry } from '../texts/catalogue';
import { MEDIATION_EVENT_TEXTS } from './texts';

Object.assign(EVENT_TEXTS as Record<string, CatalogueEntry>, MEDIATION_EVENT_TEXTS);
