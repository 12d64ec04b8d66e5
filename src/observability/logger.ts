import { pino, type DestinationStream, type Logger } from 'pino';
import { redactSecrets, scrubCardNumbers } from './redact.js';

/**
 * Structured JSON logs. Credentials, card data and personal data are redacted wherever they
 * appear in a logged object, at any depth (`redact.ts` names the fields), and card numbers are
 * masked in any text; the journal, not the log, is where payloads are kept. Errors (`err`) are
 * serialized by pino, then redacted the same way.
 *
 * @param destination where the lines go. @default stdout
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({
    level,
    base: { service: 'crossdock' },
    formatters: { log: (object) => redactSecrets(object) },
    // An error's context may quote what a target answered: it is redacted like any object.
    // Some call sites log a message string as `err`: it stays a string (spread, it would become
    // an object of characters).
    serializers: {
      err: (error: unknown) => typeof error === 'object' && error !== null
        ? redactSecrets({ ...pino.stdSerializers.err(error as Error) })
        : typeof error === 'string' ? scrubCardNumbers(error) : error,
    },
    hooks: {
      logMethod(args, method) {
        // The message itself (and printf-style arguments) may quote a payload.
        method.apply(this, args.map((a) => (typeof a === 'string' ? scrubCardNumbers(a) : a)) as Parameters<typeof method>);
      },
    },
  }, destination);
}

export type { Logger };
