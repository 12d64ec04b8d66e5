import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order } from '../../src/canonical/order.js';
import type { AttemptReport, CallContext, ErpConnector } from '../../src/connectors/capabilities.js';
import { createTrytonConnector } from '../../src/connectors/tryton/connector.js';
import { trytonSettings, type TrytonSettings } from '../../src/connectors/tryton/settings.js';
import { CrossdockError } from '../../src/errors/crossdock-error.js';
import { createHttpClient } from '../../src/protect/http-client.js';
import { MemoryRateBudget } from '../../src/protect/memory-budget.js';
import { PolicyRegistry } from '../../src/protect/registry.js';
import { startTryton, trytonDecimal, TrytonTestClient, type TestTryton } from '../support/tryton.js';

/**
 * The Tryton connector against a real trytond (Tryton 6.0 from Debian, its own database copy):
 * what it posts is read back with an independent Tryton session (`clerk`), which also plays the
 * warehouse clerk and the accountant.
 */

let tryton: TestTryton;
/** Acts in Tryton as its users would; replaced after the sessions are expired. */
let clerk: TrytonTestClient;
let erp: ErpConnector;
let settings: TrytonSettings;
const policies = new PolicyRegistry(
  { tryton: { ratePerSecond: 1000, burst: 100, attempts: 2, backoffMs: 10, timeoutMs: 20_000 } },
  { budget: new MemoryRateBudget() },
);

function connector(overrides: Partial<TrytonSettings> = {}): ErpConnector {
  const http = createHttpClient({ baseUrl: tryton.baseUrl, target: 'tryton', policy: policies.get('tryton') });
  return createTrytonConnector({ http, settings: { ...settings, ...overrides } });
}

/** A call context that records the operations sent to Tryton. */
function recording(): CallContext & { operations: string[] } {
  const operations: string[] = [];
  return { correlationId: 'tryton-it', operations, onAttempt: (attempt: AttemptReport) => operations.push(attempt.operation) };
}
const ctx: CallContext = { correlationId: 'tryton-it' };

let orders = 0;
function orderOf(lines: Order['lines'], overrides: Partial<Order> = {}): Order {
  orders += 1;
  const id = `ord_it_${orders}_${Date.now().toString(36)}`;
  return {
    id, version: 1, source: { system: 'api', id }, receivedAt: '2026-11-25T22:00:05Z',
    channel: 'webshop', channelOrderId: `W-${orders}`, orderedAt: '2026-11-25T22:00:00Z', currency: 'USD',
    customer: { accountId: 'C-300' },
    shipTo: { name: 'Jane Buyer', line1: '9 New St', city: 'Reno', postalCode: '89502', country: 'US' },
    lines,
    charges: [{ type: 'shipping', amount: '7.50' }],
    payment: { status: 'paid' },
    ...overrides,
  };
}

async function failure(promise: Promise<unknown>): Promise<CrossdockError> {
  const error: unknown = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof CrossdockError)) throw new Error(`expected a CrossdockError, got ${String(error)}`);
  return error;
}

interface SaleLine { quantity: number; 'product.': { code: string }; 'unit.': { symbol: string }; unit_price: { decimal: string } }
const saleLines = (saleId: number) =>
  clerk.model<SaleLine[]>('sale.line', 'search_read', [['sale', '=', saleId]], 0, null, [['id', 'ASC']], ['product.code', 'quantity', 'unit.symbol', 'unit_price']);
const salesWithReference = (reference: string) => clerk.model<number[]>('sale.sale', 'search', [['reference', '=', reference]], 0, null, null);
const saleState = async (saleId: number) => (await clerk.model<{ state: string }[]>('sale.sale', 'read', [saleId], ['state']))[0]!.state;

/** A sale left half-way by an earlier attempt: created with crossdock's reference, no workflow run. */
async function draftSale(reference: string, productId: number): Promise<number> {
  const party = await clerk.id('party.party', [['code', '=', 'C-300']]);
  const address = await clerk.id('party.address', [['party', '=', party]]);
  const [sale] = await clerk.model<number[]>('sale.sale', 'create', [{
    party, invoice_address: address, shipment_address: address, reference,
    warehouse: await clerk.id('stock.location', [['type', '=', 'warehouse'], ['code', '=', 'WH']]),
    lines: [['create', [{ type: 'line', product: productId, quantity: 1, unit: await clerk.unitId(), unit_price: trytonDecimal('10.00') }]]],
  }]);
  return sale!;
}

let jack: number;

beforeAll(async () => {
  tryton = await startTryton();
  clerk = tryton.rpc;
  settings = trytonSettings({
    url: tryton.baseUrl, database: tryton.database, user: tryton.user, password: tryton.password,
    shippingProduct: 'SHIP-GROUND', warehouses: { WH: 'MAIN', EAST: 'EAST-DC' },
  });
  erp = connector();
  await clerk.createCustomer('C-300', 'Acme Retail');
  jack = await clerk.createItem('JACK-1', '100.00', 'Pallet jack');
  await clerk.createItem('WRAP-2', '12.50', 'Shrink wrap');
  const goods = await clerk.id('product.category', [['name', '=', 'Goods']]);
  await clerk.model('product.template', 'create', [{
    name: 'Display stand', type: 'goods', salable: false, account_category: goods, default_uom: await clerk.unitId(),
    list_price: trytonDecimal('5.00'), products: [['create', [{ suffix_code: 'SKU-NS', cost_price: trytonDecimal('1.00') }]]],
  }]);
}, 120_000);

afterAll(async () => {
  await tryton?.dispose();
});

describe('Tryton connector: master data', () => {
  it('reads a customer by party code, with the company currency; undefined for an unknown one', async () => {
    expect(await erp.masterData.getCustomer('C-300', ctx)).toEqual({
      accountId: 'C-300', name: 'Acme Retail', currency: 'USD', creditLimit: null, balance: '0.00', onHold: false,
    });
    expect(await erp.masterData.getCustomer('C-NOBODY', ctx)).toBeUndefined();
  });

  it('reads several items in one search; a non-salable product is still active; unknown SKUs are absent', async () => {
    const call = recording();
    const items = await erp.masterData.getItems(['JACK-1', 'SKU-NS', 'NOPE'], call);
    expect([...items.values()]).toEqual([
      { sku: 'JACK-1', description: 'Pallet jack', uom: 'EA', active: true },
      { sku: 'SKU-NS', description: 'Display stand', uom: 'EA', active: true },
    ]);
    expect(call.operations.filter((operation) => operation === 'product.product.search_read')).toHaveLength(1);
  });
});

describe('Tryton connector: order sink', () => {
  it('posts a processing sale with the party, lines, quantities, units and prices, plus a freight line', async () => {
    const order = orderOf([
      { sku: 'JACK-1', quantity: 3, uom: 'EA', unitPrice: '90.00' },
      { sku: 'WRAP-2', quantity: 2, uom: 'EA', unitPrice: '12.25', description: 'Shrink wrap, clear' },
    ]);
    const call = recording();
    const ref = await erp.orderSink.create(order, call);

    const sale = (await clerk.saleByReference(order.id))!;
    expect(ref).toEqual({ system: 'tryton', id: String(sale.id), number: sale.number });
    expect(sale.state).toBe('processing');
    expect(sale.party).toBe(await clerk.id('party.party', [['code', '=', 'C-300']]));
    expect(sale.shipments).toHaveLength(1);
    expect((await saleLines(sale.id)).map((l) => [l['product.'].code, l.quantity, l['unit.'].symbol, l.unit_price.decimal])).toEqual([
      ['JACK-1', 3, 'u', '90.00'],
      ['WRAP-2', 2, 'u', '12.25'],
      ['SHIP-GROUND', 1, 'u', '7.50'],
    ]);
    expect(call.operations).toEqual(expect.arrayContaining(['sale.sale.create', 'sale.sale.quote', 'sale.sale.confirm', 'sale.sale.process']));
  });

  it('finds the sale again by crossdock\'s order id, so a retried post creates no second sale', async () => {
    const order = orderOf([{ sku: 'JACK-1', quantity: 1, uom: 'EA', unitPrice: '95.00' }]);
    const created = await erp.orderSink.create(order, ctx);

    // What the flow does on a retry after a lost answer: look first, create only when absent.
    const found = await erp.orderSink.findByExternalRef(order.id, ctx);
    expect(found).toEqual(created);
    expect(await salesWithReference(order.id)).toEqual([Number(created.id)]);
    expect(await erp.orderSink.findByExternalRef(`${order.id}-other`, ctx)).toBeUndefined();
  });

  it('reuses the party address of the same place instead of adding another', async () => {
    const shipTo = { name: 'Dock 7', line1: '77 Quay Rd', city: 'Reno', postalCode: '89577', country: 'US' };
    const party = await clerk.id('party.party', [['code', '=', 'C-300']]);
    const addresses = () => clerk.model<number[]>('party.address', 'search', [['party', '=', party]], 0, null, null);
    const before = (await addresses()).length;
    const first = await erp.orderSink.create(orderOf([{ sku: 'JACK-1', quantity: 1, uom: 'EA', unitPrice: '95.00' }], { shipTo }), ctx);
    const second = await erp.orderSink.create(orderOf([{ sku: 'WRAP-2', quantity: 1, uom: 'EA', unitPrice: '12.50' }], { shipTo }), ctx);
    expect((await addresses()).length).toBe(before + 1);
    const shipmentAddresses = await clerk.model<{ shipment_address: number }[]>('sale.sale', 'read', [Number(first.id), Number(second.id)], ['shipment_address']);
    expect(new Set(shipmentAddresses.map((sale) => sale.shipment_address)).size).toBe(1);
  });

  it('finishes a sale an earlier attempt left in draft, taking it to processing', async () => {
    const order = orderOf([{ sku: 'JACK-1', quantity: 1, uom: 'EA', unitPrice: '10.00' }]);
    const saleId = await draftSale(order.id, jack);
    expect(await saleState(saleId)).toBe('draft');

    const found = await erp.orderSink.findByExternalRef(order.id, ctx);
    expect(found?.id).toBe(String(saleId));
    const finished = await erp.orderSink.finish!(found!, order, ctx);
    expect(await saleState(saleId)).toBe('processing');
    expect(finished.number).toBeTruthy();
    // Finishing again is harmless: the sale is already there.
    expect(await erp.orderSink.finish!(finished, order, ctx)).toEqual(finished);
  });

  it('holds an order for a non-salable product with Tryton\'s own message, and leaves no sale behind', async () => {
    const order = orderOf([{ sku: 'SKU-NS', quantity: 1, uom: 'EA', unitPrice: '5.00' }]);
    const error = await failure(erp.orderSink.create(order, ctx));
    expect(error.code).toBe('erp.rejected');
    expect(error.kind).toBe('business');
    expect(error.message).toContain('"Product" in "Sale Line" is not valid according to its domain');
    expect(await salesWithReference(order.id)).toEqual([]);
  });

  it('refuses unknown SKUs and customers as business errors, before writing anything', async () => {
    const unknownSku = await failure(erp.orderSink.create(orderOf([{ sku: 'NO-SUCH', quantity: 1, uom: 'EA', unitPrice: '1.00' }]), ctx));
    expect(unknownSku.code).toBe('sku.unknown');
    expect(unknownSku.message).toContain('NO-SUCH');
    const unknownCustomer = await failure(erp.orderSink.create(orderOf([{ sku: 'JACK-1', quantity: 1, uom: 'EA', unitPrice: '1.00' }], { customer: { accountId: 'C-NOBODY' } }), ctx));
    expect(unknownCustomer.code).toBe('customer.unknown');
  });

  it('cancels a draft sale, and reports a processing one as refused', async () => {
    const draft = orderOf([{ sku: 'JACK-1', quantity: 1, uom: 'EA', unitPrice: '10.00' }]);
    const draftId = await draftSale(draft.id, jack);
    expect(await erp.orderSink.cancel!({ system: 'tryton', id: String(draftId) }, ctx)).toEqual({ outcome: 'cancelled' });
    expect(await saleState(draftId)).toBe('cancelled');
    // A cancelled sale no longer stands for the order.
    expect(await erp.orderSink.findByExternalRef(draft.id, ctx)).toBeUndefined();

    const processing = await erp.orderSink.create(orderOf([{ sku: 'JACK-1', quantity: 1, uom: 'EA', unitPrice: '10.00' }]), ctx);
    const refused = await erp.orderSink.cancel!(processing, ctx);
    expect(refused.outcome).toBe('refused');
    expect(refused.reason).toContain('processing');
    expect(await saleState(Number(processing.id))).toBe('processing');
  });
});

describe('Tryton connector: sessions', () => {
  it('logs in again when Tryton ended the session, and the call succeeds', async () => {
    await erp.masterData.getCustomer('C-300', ctx);
    tryton.expireSessions();
    clerk = await TrytonTestClient.login(tryton.baseUrl, tryton.database, tryton.user, tryton.password);

    const call = recording();
    expect(await erp.masterData.getCustomer('C-300', call)).toMatchObject({ name: 'Acme Retail' });
    expect(call.operations).toEqual(['party.party.search_read', 'common.db.login', 'res.user.get_preferences', 'party.party.search_read']);
  });
});

describe('Tryton connector: change capture', () => {
  it('reports a shipped sale once done, moves the cursor, and honours the overlap window', async () => {
    const before = await erp.changes!.shipments(undefined, ctx);
    const order = orderOf([{ sku: 'JACK-1', quantity: 2, uom: 'EA', unitPrice: '90.00' }]);
    await erp.orderSink.create(order, ctx);
    const sale = (await clerk.saleByReference(order.id))!;
    // Not done yet: nothing to report for this order.
    expect((await erp.changes!.shipments(before.cursor, ctx)).items.map((s) => s.shipment.orderId)).not.toContain(order.id);

    await clerk.countStock(jack, 'WH', 50);
    await clerk.shipOut(sale.shipments[0]!);
    const page = await erp.changes!.shipments(before.cursor, ctx);
    const shipped = page.items.find((s) => s.shipment.orderId === order.id);
    expect(shipped).toMatchObject({
      shipment: {
        orderId: order.id,
        shipmentId: `tryton:stock.shipment.out:${sale.shipments[0]}`,
        carrier: 'Other',
        lines: [{ sku: 'JACK-1', quantity: 2, uom: 'EA' }],
        warehouse: 'MAIN',
      },
      salesOrderNumber: sale.number,
    });
    expect(page.cursor > before.cursor).toBe(true);
    // Read a record at a time, the poll finds the same, in the same order.
    const paged = await connector({ pageSize: 1 }).changes!.shipments(before.cursor, ctx);
    expect(paged).toEqual(page);

    // Within the overlap window the next poll sees it again (consumers are idempotent) ...
    const again = await erp.changes!.shipments(page.cursor, ctx);
    expect(again.items.map((s) => s.shipment.orderId)).toContain(order.id);
    expect(again.cursor).toBe(page.cursor);
    // ... but not from a cursor after it without overlap; the cursor then stays where it was.
    const after = new Date(Date.parse(page.cursor) + 1).toISOString();
    const strict = await connector({ overlapSeconds: 0 }).changes!.shipments(after, ctx);
    expect(strict.items.map((s) => s.shipment.orderId)).not.toContain(order.id);
    expect(strict.cursor).toBe(after);
  });

  it('reports a posted invoice with its number and total, linked to the order', async () => {
    const before = await erp.changes!.invoices(undefined, ctx);
    const order = orderOf([{ sku: 'WRAP-2', quantity: 2, uom: 'EA', unitPrice: '12.50' }]);
    await erp.orderSink.create(order, ctx);
    const sale = (await clerk.saleByReference(order.id))!;
    expect((await erp.changes!.invoices(before.cursor, ctx)).items.map((i) => i.invoice.orderId)).not.toContain(order.id);

    await clerk.postInvoice(sale.invoices[0]!);
    const page = await erp.changes!.invoices(before.cursor, ctx);
    const invoiced = page.items.find((i) => i.invoice.orderId === order.id);
    expect(invoiced).toMatchObject({
      state: 'posted',
      salesOrderNumber: sale.number,
      invoice: {
        invoiceId: `tryton:account.invoice:${sale.invoices[0]}`,
        number: expect.stringMatching(/^INV\d{4}-\d{5}$/),
        currency: 'USD',
        lines: [{ sku: 'WRAP-2', quantity: 2, uom: 'EA', unitPrice: '12.50' }],
        charges: [{ type: 'shipping', amount: '7.50' }],
        total: '32.50',
      },
    });
    expect(page.cursor > before.cursor).toBe(true);
  });

  it('reports current stock per warehouse for items whose stock moved', async () => {
    const sku = 'SKU-STOCK';
    const product = await clerk.createItem(sku, '3.00', 'Stocked item');
    const before = await erp.changes!.stock(undefined, ctx);
    await clerk.countStock(product, 'WH', 25);
    await clerk.receiveStock(product, 'EAST', 7);

    const page = await erp.changes!.stock(before.cursor, ctx);
    expect(page.items.filter((level) => level.sku === sku)).toEqual([
      { sku, location: 'MAIN', onHand: 25, forecast: 25, uom: 'EA' },
      { sku, location: 'EAST-DC', onHand: 7, forecast: 7, uom: 'EA' },
    ]);
    expect(page.cursor > before.cursor).toBe(true);
    // Items that did not move since are not reported.
    const quiet = await connector({ overlapSeconds: 0 }).changes!.stock(new Date(Date.parse(page.cursor) + 1).toISOString(), ctx);
    expect(quiet.items.filter((level) => level.sku === sku)).toEqual([]);
  });
});

describe('Tryton connector: stock and prices on demand', () => {
  it('reads levels of named SKUs in every mapped warehouse, forecast net of open sales', async () => {
    const sku = 'SKU-LEVELS';
    const product = await clerk.createItem(sku, '3.00', 'Levels item');
    await clerk.countStock(product, 'WH', 10);
    await erp.orderSink.create(orderOf([{ sku, quantity: 4, uom: 'EA', unitPrice: '3.00' }]), ctx);
    expect(await erp.stock!.levels([sku, 'NOPE'], ctx)).toEqual([
      { sku, location: 'MAIN', onHand: 10, forecast: 6, uom: 'EA' },
      { sku, location: 'EAST-DC', onHand: 0, forecast: 0, uom: 'EA' },
    ]);
  });

  it('reads every stocked product in every mapped warehouse for the stock snapshot, services left out', async () => {
    const all = await erp.stock!.allLevels!(ctx);
    const levels = all.filter((l) => l.sku === 'SKU-LEVELS');
    expect(levels).toEqual([
      { sku: 'SKU-LEVELS', location: 'MAIN', onHand: 10, forecast: 6, uom: 'EA' },
      { sku: 'SKU-LEVELS', location: 'EAST-DC', onHand: 0, forecast: 0, uom: 'EA' },
    ]);
    expect(new Set(all.map((l) => l.location))).toEqual(new Set(['MAIN', 'EAST-DC']));
    expect(all.some((l) => l.sku === 'SHIP-GROUND')).toBe(false);
  });

  it('prices an item for a customer through the customer\'s price list', async () => {
    expect(await erp.prices!.unitPrice('C-300', 'JACK-1', 2, 'USD', ctx)).toBe('100.00');
    const wholesale = await clerk.id('product.price_list', [['name', '=', 'Wholesale']]);
    await clerk.createCustomer('C-WHOLESALE', 'Wholesale buyer');
    const party = await clerk.id('party.party', [['code', '=', 'C-WHOLESALE']]);
    await clerk.model('party.party', 'write', [party], { sale_price_list: wholesale });
    expect(await erp.prices!.unitPrice('C-WHOLESALE', 'JACK-1', 2, 'USD', ctx)).toBe('90.00');
    expect(await erp.prices!.unitPrice('C-300', 'NOPE', 1, 'USD', ctx)).toBeUndefined();
  });
});
