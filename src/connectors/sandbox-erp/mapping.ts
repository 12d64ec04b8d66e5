import type { Static } from 'typebox';
import type { InvoiceSubmission } from '../../canonical/invoice.js';
import type { Order, OrderCharge } from '../../canonical/order.js';
import type { ShipmentLine } from '../../canonical/shipment.js';
import type { ErpInvoice, ErpShipment, ErpStockLevel } from '../capabilities.js';
import type { SandboxSalesOrderInput } from './document.js';
import type { SandboxInvoice, SandboxShipment, SandboxStockLevel } from './fulfilment-documents.js';

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

/** The canonical charge type of each of the ERP's charge kinds: the inverse of `CHARGE_KINDS`. */
const CHARGE_TYPES = {
  freight: 'shipping',
  handling: 'handling',
  fee: 'fee',
  discount: 'discount',
} as const satisfies Record<SandboxCharges[number]['kind'], Static<typeof OrderCharge>['type']>;

/** The shipment id crossdock keys a sandbox shipment on: stable, and unique across ERPs. */
export function sandboxShipmentId(id: number): string {
  return `sandbox-erp:shipment:${id}`;
}

/** The invoice id crossdock keys a sandbox invoice on. */
export function sandboxInvoiceId(id: number): string {
  return `sandbox-erp:invoice:${id}`;
}

/**
 * A sandbox shipment as the canonical shipment of the order whose external reference it carries
 * (crossdock's order id). Lines of one SKU and unit are added up: an order with the SKU on two
 * lines ships it as one line, as a channel counts it.
 */
export function shipmentFromSandbox(shipment: SandboxShipment): ErpShipment {
  const lines = new Map<string, ShipmentLine>();
  for (const line of shipment.lines) {
    const key = `${line.sku}\u0000${line.uom}`;
    const known = lines.get(key);
    if (known) known.quantity += line.quantity;
    else lines.set(key, { sku: line.sku, quantity: line.quantity, uom: line.uom });
  }
  return {
    shipment: {
      orderId: shipment.externalRef,
      shipmentId: sandboxShipmentId(shipment.id),
      shippedAt: shipment.shippedAt,
      carrier: shipment.carrier,
      tracking: shipment.tracking === null ? [] : [{ number: shipment.tracking }],
      lines: [...lines.values()],
      warehouse: shipment.warehouse,
    },
    number: shipment.number,
    salesOrderNumber: shipment.salesOrder,
  };
}

/** A posted sandbox invoice as the canonical invoice of the order whose external reference it carries. */
export function invoiceFromSandbox(invoice: SandboxInvoice): ErpInvoice {
  const submission: InvoiceSubmission = {
    orderId: invoice.externalRef,
    invoiceId: sandboxInvoiceId(invoice.id),
    number: invoice.number,
    invoiceDate: dayStart(invoice.invoiceDate),
    dueDate: dayStart(invoice.dueDate),
    currency: invoice.currency,
    lines: invoice.lines.map((line) => ({
      sku: line.sku,
      ...optional('description', line.description),
      quantity: line.quantity,
      uom: line.uom,
      unitPrice: line.unitPrice,
    })),
    total: invoice.total,
    terms: { netDays: invoice.netDays },
  };
  if (invoice.charges.length > 0) {
    submission.charges = invoice.charges.map((charge) => ({
      type: CHARGE_TYPES[charge.kind],
      amount: charge.amount,
      ...optional('description', charge.description),
    }));
  }
  if (invoice.taxes.length > 0) {
    submission.taxes = invoice.taxes.map((tax) => ({ name: tax.name, amount: tax.amount, ...optional('rate', tax.rate) }));
  }
  return { invoice: submission, salesOrderNumber: invoice.salesOrder, state: invoice.state };
}

/**
 * A sandbox stock level as crossdock counts it. The sandbox does not allocate stock to open
 * orders nor expect receipts, so what it forecasts is what is on hand.
 */
export function stockLevelFromSandbox(level: SandboxStockLevel): ErpStockLevel {
  return { sku: level.sku, location: level.warehouse, onHand: level.quantity, forecast: level.quantity, uom: level.uom };
}

/** Midnight UTC of an invoice's day, for canonical timestamps that only know the day. */
function dayStart(day: string): string {
  return `${day}T00:00:00Z`;
}

function negative(amount: string): string {
  return amount.startsWith('-') || /^0(\.0*)?$/.test(amount) ? amount : `-${amount}`;
}

/** `{ [key]: value }` when the value is present, so absent fields stay absent (not `undefined`). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}
