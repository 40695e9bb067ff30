/**
 * Issue messages for every zod schema: English by default (the HTTP edge asks for Chinese per
 * request, through functions/commons/zod-languages.ts, so only API bundles carry that locale). The functions validate with `zod/mini`, which,
 * unlike classic `zod`, loads no locale: without one every issue reads only "Invalid input", and
 * the messages reach callers in problem+json `errors[].message` and the configuration errors.
 * Every module that defines schemas imports this one first, so the locale is set before anything
 * is parsed, module-level parses of config/ included.
 *
 * `en` comes from `zod/locales` by name: `z.locales.en()` through the zod/mini namespace would
 * bundle every language zod ships (about 190 KiB), as esbuild cannot tree-shake a nested
 * namespace.
 */
import { config } from 'zod/mini';
import { en } from 'zod/locales';

config(en());
