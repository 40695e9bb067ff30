/**
 * Structured JSON logs, one line per entry on stdout (CloudWatch Logs in AWS). Complainants'
 * personal data and tokens are redacted wherever they appear in a logged object, at any depth,
 * so a careless `logger.info({ body })` cannot leak them.
 */
export const REDACTED_KEYS: ReadonlySet<string> = new Set(['complainant', 'authorization', 'taskToken']);

const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity } as const;
export type LevelName = keyof typeof LEVELS;

/** Where lines go: anything with `write(line)`, e.g. process.stdout or a test's Writable. */
export interface DestinationStream {
  write(line: string): unknown;
}

type LogMethod = (fields: object, message?: string) => void;
export interface Logger {
  readonly debug: LogMethod;
  readonly info: LogMethod;
  readonly warn: LogMethod;
  readonly error: LogMethod;
}

/** Errors as { type, message, stack, ...own fields }; redacted keys as '[redacted]'. */
function replacer(key: string, value: unknown): unknown {
  if (REDACTED_KEYS.has(key)) return '[redacted]';
  if (value instanceof Error) return { ...value, type: value.name, message: value.message, stack: value.stack };
  return value;
}

function stringify(entry: object): string {
  try {
    return JSON.stringify(entry, replacer);
  } catch {
    // A cycle: each object once, its repeats as '[Circular]'.
    const seen = new WeakSet<object>();
    return JSON.stringify(entry, (key, value: unknown) => {
      const replaced = replacer(key, value);
      if (typeof replaced === 'object' && replaced !== null) {
        if (seen.has(replaced)) return '[Circular]';
        seen.add(replaced);
      }
      return replaced;
    });
  }
}

/**
 * A logger writing to `destination`. Without a `level` it follows LOG_LEVEL as it is when each
 * entry is written, so a script that sets LOG_LEVEL after its imports still gets its level.
 */
export function createLogger(destination: DestinationStream = process.stdout, level?: string): Logger {
  const thresholdOf = (name: string | undefined) => LEVELS[(name ?? 'info') as LevelName] ?? LEVELS.info;
  const fixed = level === undefined ? undefined : thresholdOf(level);
  const method =
    (name: 'debug' | 'info' | 'warn' | 'error'): LogMethod =>
    (fields, message) => {
      if (LEVELS[name] < (fixed ?? thresholdOf(process.env.LOG_LEVEL))) return;
      const entry = { level: LEVELS[name], time: new Date().toISOString(), service: 'linked-resolution', ...fields, msg: message };
      destination.write(`${stringify(entry)}\n`);
    };
  return { debug: method('debug'), info: method('info'), warn: method('warn'), error: method('error') };
}

export const logger = createLogger();
