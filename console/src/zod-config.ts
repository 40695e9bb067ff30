import { config } from 'zod/mini';

/*
 * The calendar module validates its data with zod (zod/mini, as the functions do). In the browser the console forbids
 * eval (no 'unsafe-eval' in its content security policy), so zod must not try to compile
 * parsers with new Function. Imported first by main.tsx, before any schema is used.
 */
config({ jitless: true });
