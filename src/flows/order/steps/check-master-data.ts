import type { Order } from '../../../canonical/order.js';
import type { ErpCustomer, ErpItem } from '../../../connectors/capabilities.js';
import { CrossdockError } from '../../../errors/crossdock-error.js';

/**
 * Decides whether the ERP will know this order's customer and items. Pure: returns the
 * business error that holds the order, or undefined when it may be posted. Every unknown SKU
 * is named, with its line, so one fix covers them all.
 */
export function checkMasterData(order: Order, customer: ErpCustomer | undefined, items: ReadonlyMap<string, ErpItem>): CrossdockError | undefined {
  if (!customer) {
    return new CrossdockError('customer.unknown', `customer account ${order.customer.accountId} does not exist in the ERP`, {
      context: { accountId: order.customer.accountId },
      errors: [{ pointer: '/customer/accountId', detail: 'unknown customer account' }],
    });
  }
  if (customer.onHold) {
    return new CrossdockError('customer.credit-hold', `customer ${customer.accountId} (${customer.name}) is on credit hold in the ERP`, {
      context: { accountId: customer.accountId },
    });
  }
  const unknown = order.lines
    .map((line, index) => ({ line, index }))
    .filter(({ line }) => !items.get(line.sku)?.active);
  if (unknown.length > 0) {
    const skus = [...new Set(unknown.map(({ line }) => line.sku))];
    const inactive = skus.filter((sku) => items.has(sku));
    const describe = skus.map((sku) => (inactive.includes(sku) ? `${sku} (inactive)` : sku)).join(', ');
    return new CrossdockError('sku.unknown', `${skus.length === 1 ? 'SKU' : 'SKUs'} ${describe} ${skus.length === 1 ? 'is' : 'are'} not orderable in the ERP`, {
      context: { skus, inactive },
      errors: unknown.map(({ line, index }) => ({ pointer: `/lines/${index}/sku`, detail: `${line.sku} is not an active item in the ERP` })),
    });
  }
  return undefined;
}
