/**
 * Issue messages for every zod schema: English by default, Chinese for a parse that asks. The functions validate with `zod/mini`, which,
 * unlike classic `zod`, loads no locale: without one every issue reads only "Invalid input", and
 * the messages reach callers in problem+json `errors[].message` and the configuration errors.
 * Every module that defines schemas imports this one first, so the locale is set before anything
 * is parsed, module-level parses of config/ included.
 *
 * `en` comes from `zod/locales` by name: `z.locales.en()` through the zod/mini namespace would
 * bundle every language zod ships (about 190 KiB), as esbuild cannot tree-shake a nested
 * namespace.
 */
import { config, type core } from 'zod/mini';
import { en, zhCN } from 'zod/locales';

config(en());

const LOCALES = { en: en(), 'zh-CN': zhCN() };

/** zod's own issue messages in a language, for one parse (`safeParse(schema, value, {error})`). */
export const zodLocaleError = (lang: 'zh-CN' | 'en'): core.$ZodErrorMap => LOCALES[lang].localeError;
