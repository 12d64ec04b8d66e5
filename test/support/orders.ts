import { sampleOrder } from './app.js';

/** `count` distinct valid orders for the sandbox ERP's unlimited-credit customer. */
export function manyOrders(count: number, prefix: string): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) =>
    sampleOrder({
      channelOrderId: `${prefix}-${i}`,
      customer: { accountId: 'C-400' },
      lines: [
        { sku: `SKU-${(i % 12) + 1}`, quantity: (i % 5) + 1, uom: 'EA', unitPrice: '10.00' },
        { sku: 'SKU-2', quantity: 1, uom: 'EA', unitPrice: '4.50' },
      ],
    }));
}
