import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig, validateConfig } from './config.js';
import { renderConfigMarkdown } from './docs.js';

describe('configuration', () => {
  it('runs on embedded defaults with no file', () => {
    const config = resolveConfig({}, {}, {});
    expect(config.database.url).toBeUndefined();
    expect(config.server.port).toBe(8080);
    expect(config.protection.erp?.ratePerSecond).toBe(50);
    expect(config.worker.maxAttempts).toBeGreaterThan(1);
  });

  it('takes the database URL from the environment, and flags over both', () => {
    expect(resolveConfig({ database: { url: 'postgres://file' } }, {}, { CROSSDOCK_DATABASE_URL: 'postgres://env' }).database.url).toBe('postgres://env');
    expect(resolveConfig({}, { databaseUrl: 'postgres://flag', port: 9 }, { CROSSDOCK_DATABASE_URL: 'postgres://env', CROSSDOCK_PORT: '7' }).server.port).toBe(9);
  });

  it('treats empty environment variables as unset and lets the environment override the file', () => {
    const config = resolveConfig({ server: { host: '10.0.0.1' } }, {}, { CROSSDOCK_HOST: '', CROSSDOCK_DATABASE_URL: '', CROSSDOCK_LOG_LEVEL: '' });
    expect(config.server.host).toBe('10.0.0.1');
    expect(config.database.url).toBeUndefined();
    expect(config.log.level).toBe('info');
    expect(resolveConfig({ server: { host: '10.0.0.1' } }, {}, { CROSSDOCK_HOST: '127.0.0.2' }).server.host).toBe('127.0.0.2');
  });

  it('merges per-target protection over the defaults', () => {
    const config = resolveConfig({ protection: { erp: { ratePerSecond: 5 } } }, {}, {});
    expect(config.protection.erp).toMatchObject({ ratePerSecond: 5, burst: 1, concurrency: 8 });
  });

  it('names the offending path of an invalid file', () => {
    expect(() => validateConfig({ server: { port: 'eighty' } }, 'crossdock.yaml')).toThrow(ConfigError);
    try {
      validateConfig({ server: { port: 'eighty' }, wrokers: {} }, 'crossdock.yaml');
    } catch (error) {
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toContain('/server/port');
      expect((error as ConfigError).message).toContain('crossdock.yaml');
    }
  });

  it('is documented in docs/config.md exactly as declared (run `npm run docs` after a change)', () => {
    expect(readFileSync(new URL('../../docs/config.md', import.meta.url), 'utf8')).toBe(renderConfigMarkdown());
  });
});

describe('ERP configuration', () => {
  it('is the in-process sandbox ERP with no file', () => {
    expect(resolveConfig({}, {}, {}).erp).toMatchObject({ kind: 'sandbox', url: undefined, changePollSeconds: 30 });
  });

  it('reads a tryton+http URL given on the command line as a Tryton connection with identity mappings', () => {
    const erp = resolveConfig({}, { erpUrl: 'tryton+http://admin:s%40cret@127.0.0.1:8765/sales_db' }, {}).erp;
    expect(erp.kind).toBe('tryton');
    if (erp.kind !== 'tryton') return;
    expect(erp.tryton).toMatchObject({ url: 'http://127.0.0.1:8765', database: 'sales_db', user: 'admin', password: 's@cret', customers: {}, skus: {}, referenceField: 'reference' });
    expect(erp.tryton.units['EA']).toBe('u');
  });

  it('takes the Tryton password from the environment and lets the file narrow what the URL says', () => {
    const erp = resolveConfig({
      erp: { kind: 'tryton', url: 'http://tryton.internal:8000/', tryton: { database: 'prod', user: 'crossdock', password: 'env:TRYTON_PASSWORD', skus: { 'SKU-1': 'P-0001' }, units: { CA: 'case' } } },
    }, {}, { TRYTON_PASSWORD: 'from-env' }).erp;
    if (erp.kind !== 'tryton') throw new Error(`kind ${erp.kind}`);
    expect(erp.tryton).toMatchObject({ url: 'http://tryton.internal:8000', database: 'prod', user: 'crossdock', password: 'from-env', skus: { 'SKU-1': 'P-0001' } });
    expect(erp.tryton.units).toMatchObject({ EA: 'u', CA: 'case' });
  });

  it('names every missing part of a Tryton connection, and never prints the password', () => {
    let caught: unknown;
    try {
      resolveConfig({ erp: { kind: 'tryton', url: 'http://tryton:8000', tryton: { password: 'env:NOT_SET' } } }, {}, {});
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems.join('\n');
    expect(problems).toContain('/erp/tryton/password: environment variable NOT_SET is not set');
    expect(problems).toContain('/erp/tryton/database');
    expect(problems).toContain('/erp/tryton/user');
    expect(() => resolveConfig({}, { erpUrl: 'tryton+http://admin:hunter2@host:8000/' }, {})).toThrow(/database name/);
    expect(() => resolveConfig({}, { erpUrl: 'tryton+http://admin:hunter2@host:8000/' }, {})).not.toThrow(/hunter2/);
  });
});
