import Type, { type Static } from 'typebox';
import { Currency, Decimal, Timestamp, UnitOfMeasure } from './common.js';
import { OrderCharge, OrderTax } from './order.js';

export const INVOICE_SCHEMA_VERSION = 1;

export const InvoiceLine = Type.Object(
  {
    lineId: Type.Optional(Type.String({ maxLength: 64, description: "The order line's channel line id (EDI: the PO1 line number), echoed on the invoice" })),
    sku: Type.String({ minLength: 1, maxLength: 100 }),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    quantity: Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000_000 }),
    uom: UnitOfMeasure,
    unitPrice: Decimal,
  },
  { additionalProperties: false },
);

/** An invoice for (part of) one order, as the ERP posted it. */
export const InvoiceSubmission = Type.Object(
  {
    orderId: Type.String({ minLength: 1, maxLength: 64, description: 'crossdock order id' }),
    invoiceId: Type.String({ minLength: 1, maxLength: 128, description: "The ERP's invoice id; one invoice is sent once" }),
    number: Type.String({ minLength: 1, maxLength: 64, description: 'Invoice number as printed' }),
    invoiceDate: Timestamp,
    dueDate: Type.Optional(Timestamp),
    currency: Currency,
    lines: Type.Array(InvoiceLine, { minItems: 1, maxItems: 5000 }),
    charges: Type.Optional(Type.Array(OrderCharge, { maxItems: 100 })),
    taxes: Type.Optional(Type.Array(OrderTax, { maxItems: 100 })),
    total: Decimal,
    terms: Type.Optional(Type.Object({
      netDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650 })),
      discountPercent: Type.Optional(Decimal),
      discountDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650 })),
      description: Type.Optional(Type.String({ maxLength: 200 })),
    }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

export type InvoiceSubmission = Static<typeof InvoiceSubmission>;
export type InvoiceLine = Static<typeof InvoiceLine>;
