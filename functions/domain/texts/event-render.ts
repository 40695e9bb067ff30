/**
 * Renders what happened to a case (timeline events, alerts, public milestones) in a language.
 * Refusals are rendered by render.ts; this module carries only the event texts, so the workflow
 * function bundles no more than it tells.
 */
import { EVENT_TEXTS, PUBLIC_TEXTS, type CatalogueEntry } from './catalogue';
import { formatParams, type Params, type TextContext } from './format';

export interface Message {
  readonly code: string;
  readonly params?: Params;
}

/** Renders `message` with `entry`, or falls back to its note, then to its code, when there is none. */
export function renderEntry(entry: CatalogueEntry | undefined, message: Message, ctx: TextContext): string {
  const params = formatParams(message.params ?? {}, ctx);
  if (!entry) return params.note || message.code;
  return entry[ctx.lang](params);
}

export const eventEntry = (code: string): CatalogueEntry | undefined =>
  code.startsWith('public.') ? (PUBLIC_TEXTS as Record<string, CatalogueEntry>)[code.slice(7)] : (EVENT_TEXTS as Record<string, CatalogueEntry>)[code];

/** A timeline event's, an alert's or a public milestone's text in `ctx.lang`. */
export const renderEvent = (message: Message, ctx: TextContext): string => renderEntry(eventEntry(message.code), message, ctx);
