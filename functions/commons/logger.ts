import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Structured JSON logs. Complainants' personal data and tokens are redacted wherever they
 * appear in a logged object, so a careless `logger.info({ body })` cannot leak them.
 */
export const REDACTED_PATHS = [
  'complainant',
  '*.complainant',
  '*.*.complainant',
  'authorization',
  '*.authorization',
  '*.headers.authorization',
  'taskToken',
  '*.taskToken',
];

export function createLogger(destination?: DestinationStream, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino(
    {
      level,
      base: { service: 'linked-resolution' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

export const logger = createLogger();
