/**
 * zod's own issue messages in the caller's language, for one parse at the HTTP edge
 * (`safeParse(schema, value, {error})`). Kept apart from domain/zod-locale.ts so that functions
 * with no caller to answer (the workflow, the report) do not bundle the Chinese locale.
 */
import type { core } from 'zod/mini';
import { en, zhCN } from 'zod/locales';
import type { Lang } from '../domain/texts/language';

const LOCALES: Record<Lang, core.$ZodErrorMap> = { en: en().localeError, 'zh-CN': zhCN().localeError };

export const zodLocaleError = (lang: Lang): core.$ZodErrorMap => LOCALES[lang];
