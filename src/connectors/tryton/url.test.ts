import { describe, expect, it } from 'vitest';
import { CrossdockError } from '../../errors/crossdock-error.js';
import { isTrytonUrl, parseTrytonUrl, redact } from './url.js';

function refusal(value: string): CrossdockError {
  try {
    parseTrytonUrl(value);
  } catch (error) {
    if (error instanceof CrossdockError) return error;
    throw error;
  }
  throw new Error(`${value} was accepted`);
}

describe('Tryton URL', () => {
  it('reads transport, host, database, user and password', () => {
    expect(parseTrytonUrl('tryton+http://admin:admin@127.0.0.1:8000/crossdock')).toEqual({
      url: 'http://127.0.0.1:8000', database: 'crossdock', user: 'admin', password: 'admin',
    });
    expect(parseTrytonUrl('tryton+https://u:p@erp.example.com/prod/')).toMatchObject({ url: 'https://erp.example.com', database: 'prod' });
  });

  it('decodes URL-encoded user, password and database', () => {
    expect(parseTrytonUrl('tryton+http://sales%40acme:p%40ss%3Aw%2Frd@host:8000/db%20one')).toMatchObject({
      user: 'sales@acme', password: 'p@ss:w/rd', database: 'db one',
    });
  });

  it('recognises only tryton+http(s) URLs', () => {
    expect(isTrytonUrl('TRYTON+HTTPS://h/db')).toBe(true);
    expect(isTrytonUrl('http://h/db')).toBe(false);
    expect(refusal('http://admin:x@h:8000/db').message).toContain('tryton+http');
  });

  it('names every problem and never shows the password', () => {
    const error = refusal('tryton+http://:secret@h:8000/a/b');
    expect(error.code).toBe('request.invalid');
    expect(error.message).toContain('names no user');
    expect(error.message).toContain('one segment');
    expect(error.message).not.toContain('secret');
  });

  it('refuses a URL without a database', () => {
    expect(refusal('tryton+http://admin:admin@h:8000/').message).toContain('database name');
  });

  it('refuses something that is not a URL, redacted', () => {
    expect(refusal('tryton+http://admin:pw@').message).not.toContain('pw@');
    expect(redact('tryton+http://admin:pw@h/db')).toBe('tryton+http://admin:***@h/db');
  });
});
