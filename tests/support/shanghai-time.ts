/** An instant given as Shanghai local time, e.g. `at('2026-03-09T09:00:00')`. */
export const at = (shanghaiLocal: string): number => Date.parse(`${shanghaiLocal}+08:00`);

/** The ISO form the domain stores for a Shanghai local time. */
export const iso = (shanghaiLocal: string): string => `${shanghaiLocal}.000+08:00`;
