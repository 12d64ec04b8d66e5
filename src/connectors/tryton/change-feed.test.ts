import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CallContext } from '../capabilities.js';
import { createTrytonChangeFeed, START_CURSOR } from './change-feed.js';
import { decodeTryton } from './codec.js';
import type { TrytonDomain, TrytonRecord, TrytonRpc } from './rpc.js';
import { trytonSettings, type TrytonSettings } from './settings.js';
import type { StockReader } from './stock.js';

const ctx: CallContext = { correlationId: 'change-feed-test' };
const recorded = (name: string) =>
  decodeTryton((JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as { result: unknown }).result) as TrytonRecord[];

interface Call { method: string; model: string; domain?: TrytonDomain; ids?: readonly number[]; limit?: number }

/**
 * Tryton's search_read and read over recorded records: `['id', '>', n]` and the limit are
 * honoured, as the feed pages by id; the date window is recorded but not applied.
 */
function fakeRpc(tables: Record<string, TrytonRecord[]>): TrytonRpc & { calls: Call[] } {
  const calls: Call[] = [];
  const unused = () => Promise.reject(new Error('not used by the change feed'));
  return {
    calls,
    async searchRead(model, domain, _fields, _ctx, options = {}) {
      calls.push({ method: 'search_read', model, domain, ...(options.limit === undefined ? {} : { limit: options.limit }) });
      const after = domain.find((clause): clause is [string, string, number] => Array.isArray(clause) && clause[0] === 'id' && clause[1] === '>');
      const rows = (tables[model] ?? []).filter((row) => row.id > (after?.[2] ?? 0)).sort((a, b) => a.id - b.id);
      return rows.slice(0, options.limit ?? rows.length);
    },
    async read(model, ids) {
      calls.push({ method: 'read', model, ids });
      return (tables[model] ?? []).filter((row) => ids.includes(row.id));
    },
    call: unused, search: unused, create: unused, button: unused, preferences: unused,
  };
}

const noStock: StockReader = { levels: async () => [], levelsOfProducts: async () => [] };
const settings = (overrides: Partial<TrytonSettings> = {}) =>
  trytonSettings({ url: 'http://tryton', database: 'db', user: 'u', password: 'p', shippingProduct: 'SHIP-GROUND', ...overrides });

describe('Tryton change feed', () => {
  const shipmentTables = () => ({ 'stock.shipment.out': recorded('shipments'), 'stock.move': recorded('shipment-moves') });

  it('pages by id until a short page, reading the moves of each page in one call', async () => {
    const rpc = fakeRpc(shipmentTables());
    const page = await createTrytonChangeFeed({ rpc, settings: settings({ pageSize: 2 }), stock: noStock }).shipments(undefined, ctx);

    expect(rpc.calls.map((c) => `${c.method} ${c.model}`)).toEqual([
      'search_read stock.shipment.out', 'read stock.move',
      'search_read stock.shipment.out', 'read stock.move',
    ]);
    expect(rpc.calls.filter((c) => c.method === 'search_read').map((c) => c.domain?.at(-1))).toEqual([['id', '>', 0], ['id', '>', 2]]);
    expect(rpc.calls[1]!.ids).toEqual([6, 5, 9]);
    expect(page.items.map((item) => item.shipment.orderId)).toEqual(['ord_a', 'ord_b']);
  });

  it('sets the cursor to the newest record seen, including records crossdock leaves out', async () => {
    const page = await createTrytonChangeFeed({ rpc: fakeRpc(shipmentTables()), settings: settings(), stock: noStock }).shipments(undefined, ctx);
    // The third shipment (a sale without reference) is the newest: not reported, but the cursor passes it.
    expect(page.items).toHaveLength(2);
    expect(page.cursor).toBe('2026-11-26T06:50:19.718424Z');
  });

  it('returns the findings oldest first, whatever their ids', async () => {
    const tables = shipmentTables();
    tables['stock.shipment.out'][0]!.write_date = '2026-11-26T07:00:00.000000Z';
    const page = await createTrytonChangeFeed({ rpc: fakeRpc(tables), settings: settings(), stock: noStock }).shipments(undefined, ctx);
    expect(page.items.map((item) => item.shipment.orderId)).toEqual(['ord_b', 'ord_a']);
    expect(page.cursor).toBe('2026-11-26T07:00:00.000000Z');
  });

  it('looks back the overlap window from the cursor, on write_date or, never written, create_date', async () => {
    const rpc = fakeRpc(shipmentTables());
    await createTrytonChangeFeed({ rpc, settings: settings({ overlapSeconds: 90 }), stock: noStock }).shipments('2026-11-26T06:50:00.250000Z', ctx);
    const from = { __class__: 'datetime', year: 2026, month: 11, day: 26, hour: 6, minute: 48, second: 30, microsecond: 250000 };
    expect(rpc.calls[0]!.domain).toEqual([
      ['state', '=', 'done'],
      ['OR', ['write_date', '>=', from], [['write_date', '=', null], ['create_date', '>=', from]]],
      ['id', '>', 0],
    ]);
  });

  it('keeps the cursor when nothing changed, and starts from the beginning on a first poll', async () => {
    const feed = createTrytonChangeFeed({ rpc: fakeRpc({}), settings: settings(), stock: noStock });
    expect(await feed.shipments('2026-11-26T06:50:00.000000Z', ctx)).toEqual({ items: [], cursor: '2026-11-26T06:50:00.000000Z' });
    expect(await feed.invoices(undefined, ctx)).toEqual({ items: [], cursor: START_CURSOR });
  });

  it('reads invoices of customers only, posted or paid, with all their lines in one read per page', async () => {
    const rpc = fakeRpc({ 'account.invoice': recorded('invoices'), 'account.invoice.line': recorded('invoice-lines') });
    const page = await createTrytonChangeFeed({ rpc, settings: settings(), stock: noStock }).invoices(undefined, ctx);
    expect(rpc.calls[0]!.domain?.slice(0, 2)).toEqual([['type', '=', 'out'], ['state', 'in', ['posted', 'paid']]]);
    expect(rpc.calls.filter((c) => c.model === 'account.invoice.line').map((c) => c.ids)).toEqual([[1, 2, 3, 4, 5, 6]]);
    expect(page.items.map((item) => [item.invoice.orderId, item.invoice.total])).toEqual([['ord_a', '310.50'], ['ord_b', '102.50']]);
    expect(page.cursor).toBe('2026-11-26T06:50:19.811886Z');
  });

  it('reports the current levels of the products whose stock moved, once each', async () => {
    const moves: TrytonRecord[] = [
      { id: 1, product: 2, write_date: null, create_date: '2026-11-26T06:00:00.000000Z' },
      { id: 2, product: 3, write_date: '2026-11-26T06:10:00.000000Z', create_date: '2026-11-26T06:00:00.000000Z' },
      { id: 3, product: 2, write_date: '2026-11-26T06:05:00.000000Z', create_date: '2026-11-26T06:00:00.000000Z' },
    ];
    const asked: number[][] = [];
    const stock: StockReader = {
      levels: async () => [],
      levelsOfProducts: async (ids) => {
        asked.push([...ids]);
        return [{ sku: 'SKU-1', location: 'WH', onHand: 1, forecast: 1, uom: 'EA' }];
      },
    };
    const page = await createTrytonChangeFeed({ rpc: fakeRpc({ 'stock.move': moves }), settings: settings(), stock }).stock(undefined, ctx);
    expect(asked).toEqual([[2, 3]]);
    expect(page).toEqual({ items: [{ sku: 'SKU-1', location: 'WH', onHand: 1, forecast: 1, uom: 'EA' }], cursor: '2026-11-26T06:10:00.000000Z' });
  });
});
