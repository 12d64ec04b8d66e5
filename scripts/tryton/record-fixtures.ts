// Records the fixtures of src/connectors/tryton/fixtures from a real Tryton (test/support/tryton.ts).
// Run: npx tsx scripts/tryton/record-fixtures.ts (needs scripts/tryton/setup.sh done; starts its own trytond).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startTryton, trytonDecimal } from '../../test/support/tryton.js';
import { createHttpClient } from '../../src/protect/http-client.js';
import { PolicyRegistry } from '../../src/protect/registry.js';
import { MemoryRateBudget } from '../../src/protect/memory-budget.js';
import type { HttpClient } from '../../src/protect/types.js';
import { createTrytonConnector } from '../../src/connectors/tryton/connector.js';
import { trytonSettings } from '../../src/connectors/tryton/settings.js';

const OUT = fileURLToPath(new URL('../../src/connectors/tryton/fixtures', import.meta.url));
const tryton = await startTryton();
try {
  const rpc = tryton.rpc;
  const captured = new Map<string, { params: unknown; result: unknown }[]>();
  const inner = createHttpClient({ baseUrl: tryton.baseUrl, target: 'tryton', policy: new PolicyRegistry({}, { budget: new MemoryRateBudget() }).get('tryton') });
  const http: HttpClient = {
    async request(request, ctx) {
      const response = await inner.request(request, ctx);
      const body = response.body as { result?: unknown };
      const sent = request.body as { params: unknown[] };
      if (body && 'result' in body) captured.set(request.operation, [...(captured.get(request.operation) ?? []), { params: sent.params.slice(0, -1), result: body.result }]);
      return response;
    },
  };
  const settings = trytonSettings({ url: tryton.baseUrl, database: tryton.database, user: 'admin', password: 'admin', shippingProduct: 'SHIP-GROUND', warehouses: { WH: 'MAIN', EAST: 'EAST-DC' }, units: { CS: 'c' } });
  const erp = createTrytonConnector({ http, settings });
  const ctx = { correlationId: 'record' };

  await rpc.createCustomer('C-300', 'Acme Retail');
  const jack = await rpc.createItem('JACK-1', '100.00', 'Pallet jack');
  const kgUnit = await rpc.id('product.uom', [['symbol', '=', 'kg']]);
  const goods = await rpc.id('product.category', [['name', '=', 'Goods']]);
  await rpc.model('product.template', 'create', [{ name: 'Shrink wrap', type: 'goods', salable: true, account_category: goods, default_uom: kgUnit, sale_uom: kgUnit, list_price: trytonDecimal('4.00'), products: [['create', [{ suffix_code: 'WRAP-KG', cost_price: trytonDecimal('1.00') }]]] }]);
  const wrap = await rpc.id('product.product', [['code', '=', 'WRAP-KG']]);
  const unit = await rpc.unitId();
  await rpc.model('product.template', 'create', [{ name: 'Display stand (not for sale)', type: 'goods', salable: false, account_category: goods, default_uom: unit, list_price: trytonDecimal('5.00'), products: [['create', [{ suffix_code: 'SKU-NS', cost_price: trytonDecimal('1.00') }]]] }]);
  await rpc.model('product.template', 'create', [{ name: 'Old model', type: 'goods', salable: true, active: false, account_category: goods, default_uom: unit, sale_uom: unit, list_price: trytonDecimal('5.00'), products: [['create', [{ suffix_code: 'SKU-OLD', cost_price: trytonDecimal('1.00'), active: false }]]] }]);
  await rpc.countStock(jack, 'WH', 100);
  await rpc.receiveStock(jack, 'EAST', 40);
  await rpc.countStock(wrap, 'WH', 12.5);

  const order = (id: string, lines: { sku: string; quantity: number; uom: string; unitPrice: string; description?: string }[]) => ({
    id, version: 1 as const, source: { system: 'api', id }, receivedAt: '2026-11-25T22:00:05Z',
    channel: 'webshop', channelOrderId: `W-${id}`, orderedAt: '2026-11-25T22:00:00Z', currency: 'USD',
    customer: { accountId: 'C-300' }, shipTo: { name: 'Jane Buyer', line1: '9 New St', city: 'Reno', postalCode: '89502', country: 'US' },
    lines, charges: [{ type: 'shipping' as const, amount: '7.50', description: 'Ground' }], payment: { status: 'paid' as const },
  });
  await erp.masterData.getCustomer('C-300', ctx);
  await erp.masterData.getItems(['JACK-1', 'WRAP-KG', 'SKU-NS', 'SKU-OLD', 'NOPE'], ctx);
  await erp.orderSink.create(order('ord_a', [{ sku: 'JACK-1', quantity: 3, uom: 'EA', unitPrice: '90.00', description: 'Pallet jack, blue' }, { sku: 'WRAP-KG', quantity: 2.5, uom: 'KG', unitPrice: '4.00' }]), ctx);
  await erp.orderSink.create(order('ord_b', [{ sku: 'JACK-1', quantity: 1, uom: 'EA', unitPrice: '95.00' }]), ctx);

  // ord_a: shipped with a carrier and a tracking number, invoice with a tax, posted.
  const a = (await rpc.saleByReference('ord_a'))!;
  const carrier = await rpc.id('carrier', []);
  await rpc.model('stock.shipment.out', 'write', [a.shipments[0]], { carrier, reference: '1Z999AA10123456784' });
  await rpc.shipOut(a.shipments[0]!);
  const tax = await rpc.id('account.tax', [['name', '=', 'Sales Tax 8%']]);
  const [invoice] = await rpc.model<{ lines: number[] }[]>('account.invoice', 'read', [a.invoices[0]], ['lines']);
  await rpc.model('account.invoice.line', 'write', invoice!.lines, { taxes: [['add', [tax]]] });
  await rpc.postInvoice(a.invoices[0]!);
  // ord_b: shipped without carrier or tracking, invoice posted.
  const b = (await rpc.saleByReference('ord_b'))!;
  await rpc.shipOut(b.shipments[0]!);
  await rpc.postInvoice(b.invoices[0]!);
  // A sale crossdock did not post (no reference): shipped and invoiced, must be left out.
  const party = await rpc.id('party.party', [['code', '=', 'C-300']]);
  const address = await rpc.id('party.address', [['party', '=', party]]);
  const [own] = await rpc.model<number[]>('sale.sale', 'create', [{ party, invoice_address: address, shipment_address: address, warehouse: await rpc.id('stock.location', [['code', '=', 'WH']]), lines: [['create', [{ type: 'line', product: jack, quantity: 1, unit, unit_price: trytonDecimal('100') }]]] }]);
  for (const step of ['quote', 'confirm', 'process']) await rpc.model('sale.sale', step, [own]);
  const [ownSale] = await rpc.model<{ shipments: number[]; invoices: number[] }[]>('sale.sale', 'read', [own], ['shipments', 'invoices']);
  await rpc.shipOut(ownSale!.shipments[0]!);
  await rpc.postInvoice(ownSale!.invoices[0]!);

  captured.clear();
  await erp.masterData.getCustomer('C-300', ctx);
  await erp.masterData.getItems(['JACK-1', 'WRAP-KG', 'SKU-NS', 'SKU-OLD', 'NOPE'], ctx);
  const shipments = await erp.changes!.shipments(undefined, ctx);
  const invoices = await erp.changes!.invoices(undefined, ctx);
  const stock = await erp.changes!.stock(undefined, ctx);
  await erp.orderSink.findByExternalRef('ord_a', ctx);
  const addressesCall = await rpc.model('party.address', 'search_read', [['party', '=', party]], 0, null, [['sequence', 'ASC'], ['id', 'ASC']], ['party_name', 'name', 'street', 'postal_code', 'city', 'invoice']);

  const note = 'Recorded from Tryton 6.0 (test/support/tryton.ts) by the connector\'s own calls; params without the context.';
  const save = (name: string, operation: string, index = 0) => {
    const call = captured.get(operation)?.[index];
    if (!call) throw new Error(`nothing captured for ${operation}#${index}`);
    writeFileSync(`${OUT}/${name}.json`, `${JSON.stringify({ note, call: `model.${operation}`, params: call.params, result: call.result }, null, 2)}\n`);
  };
  save('party', 'party.party.search_read');
  save('products', 'product.product.search_read');
  save('shipments', 'stock.shipment.out.search_read');
  save('shipment-moves', 'stock.move.read');
  save('invoices', 'account.invoice.search_read');
  save('invoice-lines', 'account.invoice.line.read');
  save('quantities-wh', 'product.product.read', 1);
  save('quantities-east', 'product.product.read', 2);
  save('stock-products', 'product.product.read', 0);
  writeFileSync(`${OUT}/addresses.json`, `${JSON.stringify({ note, call: 'model.party.address.search_read', params: [[['party', '=', party]]], result: addressesCall }, null, 2)}\n`);
  console.log(JSON.stringify({ shipments, invoices, stock }, null, 1));
  console.log([...captured.keys()]);
} finally {
  await tryton.dispose();
}
