import Type, { type Static } from 'typebox';
import { DECIMAL_PATTERN } from '../../lib/money.js';

/**
 * The sandbox ERP's own documents, in its own vocabulary (customerId, street, freight …), as a
 * real ERP's API would define them. The server validates requests against these schemas; the
 * connector validates answers against them before trusting a field.
 */

const Decimal = Type.String({ pattern: DECIMAL_PATTERN });
const Text = (maxLength: number) => Type.String({ maxLength });

/** A ship-to address in the ERP's words. */
export const SandboxAddress = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    company: Type.Optional(Text(200)),
    street: Type.String({ minLength: 1, maxLength: 200 }),
    street2: Type.Optional(Text(200)),
    city: Type.String({ minLength: 1, maxLength: 100 }),
    region: Type.Optional(Text(100)),
    postalCode: Type.Optional(Text(20)),
    country: Type.String({ pattern: '^[A-Z]{2}$' }),
    phone: Type.Optional(Text(40)),
    email: Type.Optional(Text(254)),
  },
  { additionalProperties: false },
);

/** One sales-order line; `lineNo` counts from 1. */
export const SandboxSalesOrderLine = Type.Object(
  {
    lineNo: Type.Integer({ minimum: 1 }),
    sku: Type.String({ minLength: 1, maxLength: 100 }),
    description: Type.Optional(Text(500)),
    quantity: Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000_000 }),
    uom: Type.String({ pattern: '^[A-Z0-9]{1,6}$' }),
    /** Absent: the ERP prices the line from its own price list in the order's currency. */
    unitPrice: Type.Optional(Decimal),
    /** Amount taken off the line total (not per unit). */
    discount: Type.Optional(Decimal),
  },
  { additionalProperties: false },
);

/** A charge added to (or, when negative, taken off) the order total. */
export const SandboxCharge = Type.Object(
  {
    kind: Type.Union([Type.Literal('freight'), Type.Literal('handling'), Type.Literal('fee'), Type.Literal('discount')]),
    /** Signed: discounts are negative. */
    amount: Decimal,
    description: Type.Optional(Text(200)),
  },
  { additionalProperties: false },
);

/** A tax amount added to the order total. */
export const SandboxTax = Type.Object(
  { name: Type.String({ maxLength: 100 }), amount: Decimal, rate: Type.Optional(Decimal) },
  { additionalProperties: false },
);

/** The body of `POST /sandbox/erp/api/sales-orders`. */
export const SandboxSalesOrderInput = Type.Object(
  {
    /** The caller's id for the order; unique: a second create with it is refused with 409. */
    externalRef: Type.String({ minLength: 1, maxLength: 128 }),
    customerId: Type.String({ minLength: 1, maxLength: 100 }),
    currency: Type.String({ pattern: '^[A-Z]{3}$' }),
    orderDate: Type.String({ minLength: 1, maxLength: 40 }),
    /** The order number the customer knows (channel order number). */
    customerReference: Type.Optional(Text(128)),
    poNumber: Type.Optional(Text(128)),
    channel: Type.Optional(Text(64)),
    shipTo: SandboxAddress,
    lines: Type.Array(SandboxSalesOrderLine, { minItems: 1, maxItems: 5000 }),
    charges: Type.Optional(Type.Array(SandboxCharge, { maxItems: 100 })),
    taxes: Type.Optional(Type.Array(SandboxTax, { maxItems: 100 })),
    notes: Type.Optional(Text(4000)),
  },
  { additionalProperties: false },
);
export type SandboxSalesOrderInput = Static<typeof SandboxSalesOrderInput>;
export type SandboxSalesOrderLine = Static<typeof SandboxSalesOrderLine>;

/** Where a sales order stands: open until shipped in full, or cancelled (never once anything shipped). */
export const SalesOrderState = Type.Union([
  Type.Literal('open'),
  Type.Literal('partially-shipped'),
  Type.Literal('shipped'),
  Type.Literal('cancelled'),
]);
export type SalesOrderState = Static<typeof SalesOrderState>;

/** A sales order as the ERP keeps and returns it. */
export const SandboxSalesOrder = Type.Object({
  ...SandboxSalesOrderInput.properties,
  /** People's number, `SO-000123`. */
  number: Type.String({ minLength: 1 }),
  /** Lines, charges and taxes, two decimals. */
  total: Decimal,
  state: SalesOrderState,
  createdAt: Type.String(),
});
export type SandboxSalesOrder = Static<typeof SandboxSalesOrder>;

/** A customer account as `GET /api/customers/:id` answers it; money as decimal strings. */
export const SandboxCustomer = Type.Object({
  id: Type.String(),
  name: Type.String(),
  currency: Type.String(),
  creditLimit: Type.Union([Decimal, Type.Null()]),
  balance: Decimal,
  onHold: Type.Boolean(),
});
export type SandboxCustomer = Static<typeof SandboxCustomer>;

/** An item as `GET /api/items` answers it. */
export const SandboxItem = Type.Object({
  sku: Type.String(),
  description: Type.String(),
  uom: Type.String(),
  active: Type.Boolean(),
  /** Unit price per currency code. */
  prices: Type.Record(Type.String(), Decimal),
  /** Quantity on hand per warehouse code. */
  stock: Type.Record(Type.String(), Type.Number()),
});
export type SandboxItem = Static<typeof SandboxItem>;

/** Why the ERP refused a sales order (answered as 422). */
export type RefusalCode = 'unknown-customer' | 'unknown-item' | 'inactive-item' | 'credit-hold' | 'no-price';

/** A business refusal, answered as 422 `{ code, message }`. */
export interface Refusal {
  code: RefusalCode;
  message: string;
}
