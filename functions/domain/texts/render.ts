/**
 * Renders a message (`code` + `params`) in a language. Codes are namespaced: timeline events
 * and alerts by their own code (`SIGN_OFF_OVERDUE`), refusals as `error.<code>` and field
 * messages as `field.<code>`.
 */
import type { CatalogueEntry } from './catalogue';
import { ERROR_TEXTS, FIELD_TEXTS, PROBLEM_TITLES, SCHEMA_MESSAGES_ZH } from './refusals';
import { eventEntry, renderEntry, type Message } from './event-render';
import type { TextContext } from './format';
import type { Lang } from './language';

export type { Message };

const refusalEntry = (code: string): CatalogueEntry | undefined => {
  if (code.startsWith('error.')) return (ERROR_TEXTS as Record<string, CatalogueEntry>)[code.slice(6)];
  if (code.startsWith('field.')) return (FIELD_TEXTS as Record<string, CatalogueEntry>)[code.slice(6)];
  return undefined;
};

const entryOf = (code: string): CatalogueEntry | undefined =>
  code.startsWith('error.') || code.startsWith('field.') ? refusalEntry(code) : eventEntry(code);

export const hasText = (code: string): boolean => entryOf(code) !== undefined;

/** The message in `ctx.lang`; a code the catalogue lacks reads as its note, or the code itself. */
export const renderMessage = (message: Message, ctx: TextContext): string => renderEntry(entryOf(message.code), message, ctx);

/**
 * A refusal or field message (`error.<code>`, `field.<code>`) in `ctx.lang`, as renderMessage
 * renders it; any other code reads as its note, or the code itself. Problem details render with
 * it, so a function that tells no timeline does not carry the event catalogue.
 */
export const renderRefusal = (message: Message, ctx: TextContext): string => renderEntry(refusalEntry(message.code), message, ctx);

/** A message in English with ids as they are: for logs and Error.message, never shown to people as is. */
export const plainEnglish = (message: Message): string => renderMessage(message, { lang: 'en' });

/** A custom schema message (written in English in the schema) in `lang`. */
export const schemaMessage = (english: string, lang: Lang): string => (lang === 'zh-CN' ? (SCHEMA_MESSAGES_ZH[english] ?? english) : english);

export const problemTitle = (status: number, lang: Lang): string => {
  const titles = PROBLEM_TITLES[status] ?? PROBLEM_TITLES[status >= 500 ? 500 : 400];
  return titles[lang === 'zh-CN' ? 0 : 1];
};

/** What a timeline event says, as params: who it concerns, who acted, its data, its note. */
export interface EventLike {
  readonly type: string;
  readonly unit?: string;
  readonly actor?: { readonly unit: string; readonly role: string };
  readonly note?: string;
  readonly data?: Readonly<Record<string, unknown>>;
}

export function eventParams(event: EventLike): Record<string, string | number | boolean> {
  const params: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(event.data ?? {})) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') params[key] = value;
  }
  if (event.unit) params.unit = event.unit;
  if (event.actor) {
    params.actorUnit = event.actor.unit;
    params.role = event.actor.role;
  }
  if (event.note) params.note = event.note;
  return params;
}
