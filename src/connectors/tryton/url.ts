import { CrossdockError } from '../../errors/crossdock-error.js';

/** What a `tryton+http://USER:PASSWORD@HOST:PORT/DB` URL says. */
export interface TrytonUrl {
  url: string;
  database: string;
  user: string;
  password: string;
}

/** True for the URLs `parseTrytonUrl` reads (`tryton+http:` and `tryton+https:`). */
export function isTrytonUrl(value: string): boolean {
  return /^tryton\+https?:\/\//i.test(value);
}

/**
 * Reads the quick-start form of a Tryton connection: the scheme after `tryton+` is the
 * transport, user and password are URL-encoded, the first path segment is the database.
 */
export function parseTrytonUrl(value: string): TrytonUrl {
  let parsed: URL;
  try {
    parsed = new URL(value.replace(/^tryton\+/i, ''));
  } catch {
    throw new CrossdockError('request.invalid', `not a URL: ${redact(value)}`);
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\/+|\/+$/g, ''));
  const problems: string[] = [];
  if (!isTrytonUrl(value)) problems.push('the scheme must be tryton+http or tryton+https');
  if (!parsed.username) problems.push('it names no user (tryton+http://USER:PASSWORD@HOST:PORT/DB)');
  if (!database || database.includes('/')) problems.push('its path must be the database name, one segment');
  if (problems.length > 0) throw new CrossdockError('request.invalid', `Tryton URL ${redact(value)}: ${problems.join('; ')}`);
  return {
    url: `${parsed.protocol}//${parsed.host}`,
    database,
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
  };
}

/** The URL with its password replaced, for messages and logs. */
export function redact(value: string): string {
  return value.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
}
