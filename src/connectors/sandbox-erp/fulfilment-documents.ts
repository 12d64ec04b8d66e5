import Type, { type Static } from 'typebox';
import { DECIMAL_PATTERN } from '../../lib/money.js';
import { SandboxCharge, SandboxTax } from './document.js';

/**
 * What the sandbox ERP answers after the sale, in its own vocabulary: shipments, invoices, stock
 * levels, prices and the pages of its change feed. The server builds these; the connector
 * validates answers against them before trusting a field.
 */

const Decimal = Type.String({ pattern: DECIMAL_PATTERN });
const Quantity = Type.Number({ exclusiveMinimum: 0 });
/** A day as the ERP prints it on an invoice, `2025-03-01`. */
const Day = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' });

/** One shipped line: which sales-order line it ships, from which warehouse. */
export const SandboxShipmentLine = Type.Object({
  lineNo: Type.Integer({ minimum: 1 }),
  sku: Type.String({ minLength: 1 }),
  quantity: Quantity,
  uom: Type.String({ minLength: 1 }),
  warehouse: Type.String({ minLength: 1 }),
});
export type SandboxShipmentLine = Static<typeof SandboxShipmentLine>;

/** A shipment (`SH-000001`) of one sales order, from one warehouse. */
export const SandboxShipment = Type.Object({
  id: Type.Integer({ minimum: 1 }),
  number: Type.String({ minLength: 1 }),
  /** The sales order's number, `SO-000123`. */
  salesOrder: Type.String({ minLength: 1 }),
  /** The sales order's external reference: the caller's id for the order. */
  externalRef: Type.String({ minLength: 1 }),
  carrier: Type.String({ minLength: 1 }),
  tracking: Type.Union([Type.String({ minLength: 1 }), Type.Null()]),
  warehouse: Type.String({ minLength: 1 }),
  shippedAt: Type.String(),
  updatedAt: Type.String(),
  lines: Type.Array(SandboxShipmentLine, { minItems: 1 }),
});
export type SandboxShipment = Static<typeof SandboxShipment>;

/** One invoiced line, priced as the sales order priced it. */
export const SandboxInvoiceLine = Type.Object({
  lineNo: Type.Integer({ minimum: 1 }),
  sku: Type.String({ minLength: 1 }),
  description: Type.Optional(Type.String()),
  quantity: Quantity,
  uom: Type.String({ minLength: 1 }),
  unitPrice: Decimal,
  /** `unitPrice × quantity`, two decimals. */
  amount: Decimal,
});
export type SandboxInvoiceLine = Static<typeof SandboxInvoiceLine>;

/** A posted customer invoice (`INV-000001`) of one sales order. */
export const SandboxInvoice = Type.Object({
  id: Type.Integer({ minimum: 1 }),
  number: Type.String({ minLength: 1 }),
  salesOrder: Type.String({ minLength: 1 }),
  externalRef: Type.String({ minLength: 1 }),
  state: Type.Literal('posted'),
  currency: Type.String({ pattern: '^[A-Z]{3}$' }),
  invoiceDate: Day,
  dueDate: Day,
  /** Days from the invoice date to the due date. */
  netDays: Type.Integer({ minimum: 0 }),
  lines: Type.Array(SandboxInvoiceLine, { minItems: 1 }),
  /** The order's charges and its lines' discounts (negative), on the first invoice that bills them. */
  charges: Type.Array(SandboxCharge),
  taxes: Type.Array(SandboxTax),
  /** Lines, charges and taxes, two decimals. */
  total: Decimal,
  updatedAt: Type.String(),
});
export type SandboxInvoice = Static<typeof SandboxInvoice>;

/** Stock of one item in one warehouse. `updatedAt` is null for a level nothing has moved since the seed. */
export const SandboxStockLevel = Type.Object({
  sku: Type.String({ minLength: 1 }),
  warehouse: Type.String({ minLength: 1 }),
  quantity: Type.Number(),
  uom: Type.String({ minLength: 1 }),
  updatedAt: Type.Union([Type.String(), Type.Null()]),
});
export type SandboxStockLevel = Static<typeof SandboxStockLevel>;

/** What every change-feed page says besides its records. */
const PageInfo = {
  /** The newest `updatedAt` on this page; `since` (or the start of time) when the page is empty. */
  cursor: Type.String({ minLength: 1 }),
  /** More records follow: ask again with the same `since` and `after=next`. */
  more: Type.Boolean(),
  next: Type.Optional(Type.String({ minLength: 1 })),
};

export const ShipmentChanges = Type.Object({ shipments: Type.Array(SandboxShipment), ...PageInfo });
export type ShipmentChanges = Static<typeof ShipmentChanges>;
export const InvoiceChanges = Type.Object({ invoices: Type.Array(SandboxInvoice), ...PageInfo });
export type InvoiceChanges = Static<typeof InvoiceChanges>;
export const StockChanges = Type.Object({ levels: Type.Array(SandboxStockLevel), ...PageInfo });
export type StockChanges = Static<typeof StockChanges>;

/** `GET /api/stock`. */
export const StockLevels = Type.Object({ levels: Type.Array(SandboxStockLevel) });

/** `GET /api/prices`: null when the item has no price in that currency. */
export const PriceAnswer = Type.Object({
  customer: Type.String(),
  sku: Type.String(),
  quantity: Type.Number(),
  currency: Type.String(),
  unitPrice: Type.Union([Decimal, Type.Null()]),
});
export type PriceAnswer = Static<typeof PriceAnswer>;

/** `POST /api/sales-orders/:number/cancel` when it worked. */
export const Cancelled = Type.Object({ number: Type.String(), state: Type.Literal('cancelled') });
