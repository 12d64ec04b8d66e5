/**
 * The README's sample order (the one `curl` sends in "A five-minute tour", also
 * `sampleOrder()` in test/support/app.ts), with a distinct channelOrderId per request so that
 * every request is a new order and none is answered from the idempotency ledger.
 */
export const SAMPLE_ORDER = {
  channel: 'b2b-portal', channelOrderId: 'PO-1001', orderedAt: '2026-11-22T10:00:00Z',
  currency: 'USD', customer: { accountId: 'C-100' },
  shipTo: { name: 'Acme Receiving', line1: '1 Dock Rd', city: 'Reno', region: 'NV', postalCode: '89501', country: 'US' },
  lines: [{ sku: 'SKU-1', quantity: 2, uom: 'EA', unitPrice: '10.00' }],
  payment: { status: 'authorized' },
} as const;

const MARK = '\u0000ID\u0000';

/**
 * Returns a body maker: each call gives the sample order's JSON with the next channelOrderId
 * `<prefix>-<n>`. The JSON is cut once around the id, so a body costs one string concat.
 */
export function orderBodies(prefix: string): { next(): string; readonly count: number } {
  const [head, tail] = JSON.stringify({ ...SAMPLE_ORDER, channelOrderId: MARK }).split(JSON.stringify(MARK).slice(1, -1)) as [string, string];
  let n = 0;
  return {
    next: () => `${head}${prefix}-${++n}${tail}`,
    get count() {
      return n;
    },
  };
}
