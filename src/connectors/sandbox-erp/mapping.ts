import type { Static } from 'typebox';
import type { Order, OrderCharge } from '../../canonical/order.js';
import type { SandboxSalesOrderInput } from './document.js';

type SandboxCharges = NonNullable<SandboxSalesOrderInput['charges']>;

const CHARGE_KINDS = {
  shipping: 'freight',
  handling: 'handling',
  fee: 'fee',
  discount: 'discount',
} as const satisfies Record<Static<typeof OrderCharge>['type'], SandboxCharges[number]['kind']>;

/**
 * The canonical order as the sandbox ERP's sales-order document. crossdock's order id becomes
 * the ERP's external reference, which is what makes creates idempotent. Pure; a validated
 * canonical order always maps, so there are no problems to report.
 */
export function orderToSandboxSalesOrder(order: Order): SandboxSalesOrderInput {
  const document: SandboxSalesOrderInput = {
    externalRef: order.id,
    customerId: order.customer.accountId,
    currency: order.currency,
    orderDate: order.orderedAt,
    customerReference: order.orderNumber ?? order.channelOrderId,
    channel: order.channel,
    shipTo: {
      name: order.shipTo.name,
      street: order.shipTo.line1,
      city: order.shipTo.city,
      country: order.shipTo.country,
      ...optional('company', order.shipTo.company),
      ...optional('street2', order.shipTo.line2),
      ...optional('region', order.shipTo.region),
      ...optional('postalCode', order.shipTo.postalCode),
      ...optional('phone', order.shipTo.phone),
      ...optional('email', order.shipTo.email),
    },
    lines: order.lines.map((line, index) => ({
      lineNo: index + 1,
      sku: line.sku,
      quantity: line.quantity,
      uom: line.uom,
      unitPrice: line.unitPrice,
      ...optional('description', line.description),
      ...optional('discount', line.discount),
    })),
    ...optional('poNumber', order.poNumber),
    ...optional('notes', order.notes),
  };
  if (order.charges && order.charges.length > 0) {
    document.charges = order.charges.map((charge) => ({
      kind: CHARGE_KINDS[charge.type],
      // The ERP adds charges to the total, so a discount must arrive negative whatever sign the channel used.
      amount: charge.type === 'discount' ? negative(charge.amount) : charge.amount,
      ...optional('description', charge.description),
    }));
  }
  if (order.taxes && order.taxes.length > 0) {
    document.taxes = order.taxes.map((tax) => ({ name: tax.name, amount: tax.amount, ...optional('rate', tax.rate) }));
  }
  return document;
}

function negative(amount: string): string {
  return amount.startsWith('-') || /^0(\.0*)?$/.test(amount) ? amount : `-${amount}`;
}

/** `{ [key]: value }` when the value is present, so absent fields stay absent (not `undefined`). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}
