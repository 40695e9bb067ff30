/**
 * The languages texts for people are written in: Chinese first (the officers' and citizens'
 * language, and the default), English beside it. Kept free of imports so the console bundles it.
 */
export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];
export const DEFAULT_LANG: Lang = 'zh-CN';

/** The language a range of an Accept-Language header asks for, if it is one we write. */
function languageOfRange(range: string): Lang | undefined {
  const tag = range.toLowerCase();
  if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
  if (tag === 'en' || tag.startsWith('en-')) return 'en';
  return undefined;
}

/**
 * Picks the language from an Accept-Language header (RFC 9110 §12.5.4): the supported range
 * with the highest weight, the first of equals winning; anything unusable gives Chinese.
 */
export function negotiateLanguage(header: string | undefined): Lang {
  if (!header) return DEFAULT_LANG;
  let best: { lang: Lang; q: number } | undefined;
  for (const part of header.slice(0, 512).split(',')) {
    const [range, ...parameters] = part.trim().split(';');
    const lang = languageOfRange(range.trim());
    if (!lang) continue;
    const qParameter = parameters.map((p) => p.trim()).find((p) => p.toLowerCase().startsWith('q='));
    const q = qParameter ? Number(qParameter.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0 || q > 1) continue;
    if (!best || q > best.q) best = { lang, q };
  }
  return best?.lang ?? DEFAULT_LANG;
}
