import { ERRORS } from './catalogue.js';

/** `docs/errors.md`, rendered from the catalogue (a test keeps the file equal to this). */
export function renderErrorsMarkdown(): string {
  const rows = Object.entries(ERRORS).map(([code, d]) => `| \`${code}\` | ${d.kind} | ${d.status} | ${d.title} | ${d.action} |`);
  return [
    '# Error codes',
    '',
    'Every failure in crossdock carries one of these codes. The code fixes the kind, and the kind fixes',
    'what happens: **business** errors hold the order for a person and are never retried; **rejected**',
    'errors answer 4xx (or dead-letter an outbound call) and are not retried; **transient** errors are',
    'retried with backoff, honouring `Retry-After`, then dead-lettered; **defect** errors are crossdock\'s',
    'own and are retried a few times, logged, then dead-lettered. API errors are RFC 9457',
    '`application/problem+json` with `type` = `urn:crossdock:problem:<code>`.',
    '',
    'This file is generated from `src/errors/catalogue.ts` (`npm run docs`).',
    '',
    '| code | kind | HTTP | title | what to do |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
