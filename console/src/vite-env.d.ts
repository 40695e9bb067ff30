/// <reference types="vite/client" />

/**
 * Shared domain modules (functions/domain/calendar.ts) read process.env for the functions'
 * settings; in the console the build defines it as an empty object (console/vite.config.mts).
 */
declare const process: { readonly env: Readonly<Record<string, string | undefined>> };
