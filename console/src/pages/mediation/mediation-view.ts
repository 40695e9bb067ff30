import type { Mediation } from '../../../../functions/domain/mediation/model';
import type { Unit } from '../../../../functions/domain/directory';
import { toShanghaiIso } from '../../../../functions/domain/calendar';

/*
 * What the console reads from a case's mediation, without Preact (the unit tests run it as it is):
 * which mediation actions the API offers, which bodies the directory lists for a case, the
 * referral's clock, and Beijing-time form values to the instants the API takes.
 */

/** The mediation actions by the names `allowedActions` gives them, in the order they are offered. */
export const MEDIATION_ACTIONS = ['mediation-accept', 'mediation-decline', 'mediation-sessions', 'mediation-outcome', 'mediation-fulfilment', 'mediate'] as const;
export type MediationAction = (typeof MEDIATION_ACTIONS)[number];

/** The route under /v1/cases/{id}/ each action posts to. */
export const MEDIATION_ROUTE: Record<MediationAction, string> = {
  mediate: 'mediation',
  'mediation-accept': 'mediation/accept',
  'mediation-decline': 'mediation/decline',
  'mediation-sessions': 'mediation/sessions',
  'mediation-outcome': 'mediation/outcome',
  'mediation-fulfilment': 'mediation/fulfilment',
};

export const isMediationAction = (name: string): name is MediationAction => (MEDIATION_ACTIONS as readonly string[]).includes(name);

/** The mediation actions the API lists for this caller now (nothing else is offered). */
export const offeredMediationActions = (allowed: readonly string[] | undefined): MediationAction[] => MEDIATION_ACTIONS.filter((name) => allowed?.includes(name));

/**
 * The bodies a case may be referred to, as the directory lists them: its mediation committees,
 * a sector committee only for the categories it names; grouped by channel in the directory's own
 * order. Whether one may take this case now (it declined it before, say) is the API's to say.
 */
export function bodiesFor(units: readonly Unit[], category: string): Array<{ channel: string; bodies: Unit[] }> {
  const groups = new Map<string, Unit[]>();
  for (const unit of units) {
    if (unit.kind !== 'mediation-committee') continue;
    if (unit.categories && !unit.categories.includes(category)) continue;
    const channel = unit.channel ?? 'people';
    groups.set(channel, [...(groups.get(channel) ?? []), unit]);
  }
  return [...groups].map(([channel, bodies]) => ({ channel, bodies }));
}

/** The referral that holds the case now, if one does (the last one, while referred, accepted or agreed). */
export function openMediationOf(mediations: readonly Mediation[] | undefined): Mediation | undefined {
  const last = mediations?.at(-1);
  return last && (last.status === 'referred' || last.status === 'accepted' || last.status === 'agreed') ? last : undefined;
}

/** The clock a referral runs now: acceptance, then the mediation, then the fulfilment date. */
export function mediationClock(m: Mediation): { step: 'referred' | 'accepted' | 'agreed'; dueAt: string } | undefined {
  if (m.status === 'referred') return { step: 'referred', dueAt: m.acceptDueAt };
  if (m.status === 'accepted' || m.status === 'agreed') return { step: m.status, dueAt: m.dueAt };
  return undefined;
}

/** A datetime-local value typed in Beijing time ('2026-03-09T09:00') as the instant the API takes; undefined when it is not one. */
export function beijingInputToIso(value: string): string | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?$/.exec(value.trim());
  if (!match) return undefined;
  const iso = `${match[1]}T${match[2]}${match[3] ?? ':00'}+08:00`;
  return Number.isFinite(Date.parse(iso)) ? iso : undefined;
}

/** An instant as a datetime-local value in Beijing time, to the minute (what the form starts with). */
export const isoToBeijingInput = (ms: number): string => toShanghaiIso(ms).slice(0, 16);

/** Yuan to the fen, with thousands separators: 12800.5 → '12,800.50'. */
export const formatYuan = (amount: number, lang: string): string =>
  amount.toLocaleString(lang === 'en' ? 'en-US' : 'zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A share (0.9583) as a percentage to one decimal ('95.8%'); '—' when there is nothing to count. */
export const formatShare = (share: number | null | undefined): string =>
  share === null || share === undefined ? '—' : `${Math.round(share * 1000) / 10}%`;

/** The documents' route the console may fetch (the API's own href for a document of this case): anything else is refused. */
export const isDocumentHref = (href: string, caseId: string): boolean =>
  href.startsWith(`/v1/cases/${encodeURIComponent(caseId)}/documents/`) && !href.includes('..') && !/[?#]/.test(href);

const STYLE = /<style[^>]*>([\s\S]*?)<\/style>/gi;
const HANDLER = /\s(on[a-z]+)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi;

/**
 * The API's HTML apart: its stylesheet's text, and its markup without style elements and inline
 * handlers (a print button's becomes `data-print`). Taken out of the text before it is parsed:
 * the parser would hold them against the console's policy, and say so in the console.
 */
export function splitDocument(html: string): { css: string; markup: string } {
  const css = [...html.matchAll(STYLE)].map((match) => match[1]).join('\n');
  // Inside tags only: text that reads like an attribute stays as it is.
  const markup = html
    .replace(STYLE, '')
    .replace(/<[a-z][^>]*>/gi, (tag) => tag.replace(HANDLER, (_whole, _name: string, value: string) => (value.replace(/["'\s;]/g, '') === 'window.print()' ? ' data-print' : '')));
  return { css, markup };
}
