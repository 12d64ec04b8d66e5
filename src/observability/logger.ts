import { pino, type Logger } from 'pino';

/**
 * Structured JSON logs. Credentials and personal data are redacted wherever they appear in a
 * logged object; the journal, not the log, is where payloads are kept.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'crossdock' },
    redact: {
      paths: ['*.password', '*.secret', '*.token', '*.apiKey', '*.authorization', 'req.headers.authorization',
        'req.headers.cookie', '*.email', '*.phone', '*.shipTo', '*.billTo'],
      censor: '[redacted]',
    },
  });
}

export type { Logger };
