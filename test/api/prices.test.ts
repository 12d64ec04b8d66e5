import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { priceRoutes } from '../../src/api/prices.js';
import { createHttpServer, type HttpServer } from '../../src/api/server.js';
import { resolvePrices } from '../../src/pricing/config-schema.js';
import { openPriceBook, reloadPriceBook } from '../../src/pricing/book-store.js';
import type { PriceBook } from '../../src/pricing/book.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/types.js';

const NOW = Date.parse('2026-06-15T12:00:00Z');
let app: HttpServer;
let store: Store;
let book: PriceBook;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crossdock-prices-api-'));
  const file = join(dir, 'rules.csv');
  writeFileSync(file, ['id,kind,sku,currency,unitPrice,minQuantity,group', 'T-1,tier,SKU-2,USD,18.00,,gold', 'T-1,,,,16.00,10,'].join('\n'));
  const problems: string[] = [];
  const settings = resolvePrices({
    file,
    customerGroups: { 'C-100': 'gold' },
    rules: [
      { kind: 'list', id: 'L-1', sku: 'SKU-1', currency: 'USD', unitPrice: '10.00', breaks: [{ minQuantity: 12, unitPrice: '9.00' }] },
      { kind: 'list', id: 'L-2', sku: 'SKU-2', currency: 'USD', unitPrice: '20.00' },
      { kind: 'contract', id: 'K-1', sku: 'SKU-1', currency: 'USD', customer: 'C-100', unitPrice: '8.00', validFrom: '2026-01-01', validTo: '2026-12-31', description: 'contract 2026/17' },
      { kind: 'promotion', id: 'P-1', sku: 'SKU-2', currency: 'USD', percentOff: 50, channels: ['web'], validFrom: '2026-06-01', validTo: '2026-06-30' },
    ],
  }, {}, problems);
  expect(problems).toEqual([]);
  store = await openSqliteStore({ file: join(dir, 'store.db') });
  book = await openPriceBook({ store, clock: { now: () => NOW }, settings });
  app = await createHttpServer({ logger: false, bodyLimitBytes: 5_000_000 });
  await priceRoutes(app, { store, clock: { now: () => NOW }, book });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const quote = (body: unknown) => app.inject({ method: 'POST', url: '/v1/prices/quote', payload: body as object });
const put = (rules: unknown[]) => app.inject({ method: 'PUT', url: '/v1/prices/rules', payload: { rules } });

describe('POST /v1/prices/quote', () => {
  it('prices each line with its extended price and the rule that won, and why', async () => {
    const res = await quote({ customer: 'C-100', currency: 'USD', lines: [{ sku: 'SKU-1', quantity: 3 }, { sku: 'SKU-2', quantity: 10 }] });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      customer: 'C-100', currency: 'USD', at: '2026-06-15T12:00:00.000Z', total: '184.00', complete: true,
      lines: [
        { sku: 'SKU-1', quantity: 3, unitPrice: '8.00', extendedPrice: '24.00', rule: { id: 'K-1', kind: 'contract', why: 'contract price of customer C-100, valid 2026-01-01 to 2026-12-31, contract 2026/17' } },
        { sku: 'SKU-2', quantity: 10, unitPrice: '16.00', extendedPrice: '160.00', minQuantity: 10, rule: { id: 'T-1', kind: 'tier', why: 'price of customer group gold, quantity break from 10 (10 ordered)' } },
      ],
    });
  });

  it('answers the price of the moment asked for, the channel and its promotion included', async () => {
    const res = await quote({ customer: 'C-9', currency: 'USD', channel: 'web', at: '2027-01-05T00:00:00Z', lines: [{ sku: 'SKU-1', quantity: 12 }, { sku: 'SKU-2', quantity: 1 }] });
    expect(res.json().lines.map((l: { unitPrice: string }) => l.unitPrice)).toEqual(['9.00', '20.00']);
    const june = await quote({ customer: 'C-9', currency: 'USD', channel: 'web', lines: [{ sku: 'SKU-2', quantity: 1 }] });
    expect(june.json().lines[0]).toMatchObject({ unitPrice: '10.00', rule: { id: 'P-1', kind: 'promotion' } });
  });

  it('answers lines the book cannot price with a null price and the reason, still 200', async () => {
    const res = await quote({ customer: 'C-100', currency: 'EUR', lines: [{ sku: 'SKU-1', quantity: 1 }, { sku: 'SKU-X', quantity: 1 }] });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      complete: false, total: '0.00',
      lines: [
        { sku: 'SKU-1', unitPrice: null, extendedPrice: null, reason: 'SKU-1 has no price in EUR (only in USD)' },
        { sku: 'SKU-X', unitPrice: null, extendedPrice: null, reason: 'the price book has no rule for SKU-X' },
      ],
    });
  });

  it('refuses invalid input with 422 problem+json naming the field', async () => {
    const res = await quote({ customer: 'C-100', currency: 'USX', lines: [{ sku: 'SKU-1', quantity: 0 }] });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().errors).toEqual(expect.arrayContaining([
      { pointer: '/currency', detail: 'must be a valid ISO 4217 currency code' },
      { pointer: '/lines/0/quantity', detail: 'must be > 0' },
    ]));
  });
});

describe('GET /v1/prices/lists/:customer', () => {
  it("exports the customer's price list as JSON with each break's effective price and the winning rule", async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/prices/lists/C-100?currency=USD&format=json' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      customer: 'C-100', currency: 'USD', at: '2026-06-15T12:00:00.000Z',
      items: [
        { sku: 'SKU-1', breaks: [{ minQuantity: 1, unitPrice: '8.00', rule: expect.objectContaining({ id: 'K-1' }) }] },
        { sku: 'SKU-2', breaks: [{ minQuantity: 1, unitPrice: '18.00', rule: expect.objectContaining({ id: 'T-1' }) }, { minQuantity: 10, unitPrice: '16.00', rule: expect.objectContaining({ id: 'T-1' }) }] },
      ],
    });
  });

  it('exports CSV, one row per break, for a customer without a contract', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/prices/lists/C-9?currency=USD&format=csv' });
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.body.split('\n')).toEqual([
      'sku,minQuantity,unitPrice,currency,ruleId,ruleKind,why',
      'SKU-1,1,10.00,USD,L-1,list,list price',
      'SKU-1,12,9.00,USD,L-1,list,"list price, quantity break from 12 (12 ordered)"',
      'SKU-2,1,20.00,USD,L-2,list,list price',
      '',
    ]);
  });

  it('names a bad query field', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/prices/lists/C-9?currency=USD&format=xml' });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0].pointer).toBe('/querystring/format');
  });
});

describe('PUT and DELETE /v1/prices/rules', () => {
  const rule = { kind: 'contract', id: 'K-9', sku: 'SKU-2', currency: 'USD', customer: 'C-9', unitPrice: '12.00' };

  it('upserts a batch, journals it, and quotes from it at once; the same batch again changes nothing', async () => {
    const first = await put([rule]);
    expect(first.statusCode).toBe(200);
    expect(first.json().upserted).toBe(1);
    const again = await put([rule]);
    expect(again.statusCode).toBe(200);
    expect(book.size).toBe(6);
    expect((await quote({ customer: 'C-9', currency: 'USD', lines: [{ sku: 'SKU-2', quantity: 1 }] })).json().lines[0]).toMatchObject({ unitPrice: '12.00', rule: { id: 'K-9' } });
    const message = await store.getMessage(first.json().messageId);
    expect(message).toMatchObject({ kind: 'price-rules', source: 'api', status: 'accepted' });
    expect(message?.canonical).toEqual({ upsert: [{ source: 'api', ...rule }] });
    expect((await store.loadPriceRules()).find((r) => r.id === 'K-9')?.body).toEqual({ source: 'api', ...rule });
    expect((await app.inject({ method: 'GET', url: '/v1/prices/rules/K-9' })).json()).toEqual({ source: 'api', ...rule });
  });

  it('refuses a batch with any bad rule, naming each field, and writes nothing', async () => {
    const before = (await store.loadPriceRules()).length;
    const res = await put([{ ...rule, id: 'K-10', unitPrice: '1,00' }, { kind: 'promotion', id: 'P-9', sku: 'S', currency: 'USD', validFrom: '2026-02-01', validTo: '2026-01-01', unitPrice: '1.00' }, { ...rule, kind: 'bogus' }]);
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([
      { pointer: '/rules/0/unitPrice', detail: 'must be a decimal string such as "10.00"' },
      { pointer: '/rules/1/validTo', detail: 'is before validFrom (2026-02-01)' },
      { pointer: '/rules/2/kind', detail: 'must be one of list, tier, contract, promotion' },
    ]);
    expect(await store.loadPriceRules()).toHaveLength(before);
    expect(book.get('K-10')).toBeUndefined();
  });

  it('deletes a rule from the store and the book, journaled; a second delete says there was nothing', async () => {
    await put([{ ...rule, id: 'K-DEL' }]);
    const res = await app.inject({ method: 'DELETE', url: '/v1/prices/rules/K-DEL' });
    expect(res.json()).toMatchObject({ id: 'K-DEL', deleted: true });
    expect((await store.getMessage(res.json().messageId))?.canonical).toEqual({ delete: ['K-DEL'] });
    expect((await app.inject({ method: 'DELETE', url: '/v1/prices/rules/K-DEL' })).json()).toMatchObject({ deleted: false });
    expect(book.get('K-DEL')).toBeUndefined();
    expect((await store.loadPriceRules()).map((r) => r.id)).not.toContain('K-DEL');
    expect((await app.inject({ method: 'GET', url: '/v1/prices/rules/K-DEL' })).statusCode).toBe(404);
  });

  it('keeps pushed rules across a restart, and the configuration replaces only its own', async () => {
    await put([{ ...rule, id: 'K-KEEP' }]);
    await reloadPriceBook(book, store);
    expect(book.get('K-KEEP')).toBeDefined();
    expect(book.countBySource()).toMatchObject({ config: 4, file: 1 });
  });
});
