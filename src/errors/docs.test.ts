import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderErrorsMarkdown } from './docs.js';
import { ERRORS } from './catalogue.js';

describe('error catalogue', () => {
  it('is documented in docs/errors.md exactly as declared (run `npm run docs` after a change)', () => {
    const file = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
    expect(file).toBe(renderErrorsMarkdown());
  });

  it('uses stable dotted codes and 4xx/5xx statuses', () => {
    for (const [code, d] of Object.entries(ERRORS)) {
      expect(code).toMatch(/^[a-z]+\.[a-z-]+$/);
      expect(d.status).toBeGreaterThanOrEqual(400);
      expect(d.action.length).toBeGreaterThan(10);
    }
  });
});
