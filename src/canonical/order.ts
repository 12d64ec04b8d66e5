import Type, { type Static } from 'typebox';
import { Address, Currency, Decimal, SourceRef, StringEnum, Timestamp, UnitOfMeasure } from './common.js';

export const ORDER_SCHEMA_VERSION = 1;

export const OrderLine = Type.Object(
  {
    lineId: Type.Optional(Type.String({ maxLength: 64, description: "The channel's line id, echoed back on shipments" })),
    sku: Type.String({ minLength: 1, maxLength: 100 }),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    quantity: Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000_000 }),
    uom: UnitOfMeasure,
    unitPrice: Decimal,
    discount: Type.Optional(Decimal),
    /** Tax on this line, when the channel itemises it per line. */
    taxes: Type.Optional(Type.Array(Type.Object(
      { name: Type.String({ maxLength: 100 }), amount: Decimal, rate: Type.Optional(Decimal) },
      { additionalProperties: false },
    ), { maxItems: 20 })),
    channelSku: Type.Optional(Type.String({ maxLength: 255, description: "The channel's own SKU or variant reference, when a cross-reference turned it into `sku`" })),
    giftCard: Type.Optional(Type.Boolean({ description: 'A gift card sold on this line: nothing to pick or ship' })),
    attributes: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.String({ maxLength: 1000 }), { description: 'Line properties (engraving, configuration)' })),
  },
  { additionalProperties: false },
);

export const OrderCharge = Type.Object(
  {
    type: StringEnum(['shipping', 'handling', 'fee', 'discount'] as const),
    amount: Decimal,
    description: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const OrderTax = Type.Object(
  { name: Type.String({ maxLength: 100 }), amount: Decimal, rate: Type.Optional(Decimal) },
  { additionalProperties: false },
);

export const PaymentStatus = StringEnum(
  ['pending', 'authorized', 'paid', 'partially_paid', 'on_account', 'refunded', 'voided'] as const,
  'Payment status at the channel',
);

export const OrderCustomer = Type.Object(
  {
    accountId: Type.String({ minLength: 1, maxLength: 100, description: 'Customer account in the ERP (or its cross-reference)' }),
    name: Type.Optional(Type.String({ maxLength: 200 })),
    email: Type.Optional(Type.String({ maxLength: 254 })),
    company: Type.Optional(Type.String({ maxLength: 200 })),
    business: Type.Optional(Type.Boolean({ description: 'A business (B2B) buyer, e.g. an Amazon Business order' })),
  },
  { additionalProperties: false },
);

const submissionFields = {
    channel: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$', description: 'Channel instance that took the order' }),
    channelOrderId: Type.String({ minLength: 1, maxLength: 128, description: "The channel's own order id; unique per channel" }),
    orderNumber: Type.Optional(Type.String({ maxLength: 128, description: 'Order number as people know it' })),
    poNumber: Type.Optional(Type.String({ maxLength: 128, description: "The buyer's purchase order number" })),
    orderedAt: Timestamp,
    currency: Currency,
    customer: OrderCustomer,
    shipTo: Address,
    billTo: Type.Optional(Address),
    lines: Type.Array(OrderLine, { minItems: 1, maxItems: 5000 }),
    charges: Type.Optional(Type.Array(OrderCharge, { maxItems: 100 })),
    taxes: Type.Optional(Type.Array(OrderTax, { maxItems: 100 })),
    payment: Type.Object(
      {
        status: PaymentStatus, method: Type.Optional(Type.String({ maxLength: 64 })), reference: Type.Optional(Type.String({ maxLength: 128 })),
        giftCardAmount: Type.Optional(Decimal),
      },
      { additionalProperties: false },
    ),
    presentment: Type.Optional(Type.Object(
      { currency: Currency, total: Decimal },
      { additionalProperties: false, description: 'What the buyer saw when it differs from `currency` (the shop currency the ERP books)' },
    )),
    channelUpdatedAt: Type.Optional(Type.String({ format: 'date-time', description: 'When the channel last changed the order: of two versions, the newer wins' })),
    cancellation: Type.Optional(Type.Object(
      { at: Timestamp, reason: Type.Optional(Type.String({ maxLength: 500 })) },
      { additionalProperties: false, description: 'Set when the channel cancelled the order' },
    )),
    fulfilledBy: Type.Optional(StringEnum(['merchant', 'channel'] as const, 'channel: the marketplace ships it (Amazon AFN); recorded, not sent to the warehouse. @default merchant')),
    notes: Type.Optional(Type.String({ maxLength: 4000 })),
    attributes: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.String({ maxLength: 1000 }))),
};

/** The order as a channel submits it to `POST /v1/orders`. */
export const OrderSubmission = Type.Object(submissionFields, { additionalProperties: false });

/** Canonical Order v1: the submission plus what crossdock adds when it accepts it. */
export const Order = Type.Object(
  {
    id: Type.String({ description: 'crossdock order id' }),
    version: Type.Literal(ORDER_SCHEMA_VERSION, { description: 'Canonical schema version' }),
    source: SourceRef,
    receivedAt: Timestamp,
    ...submissionFields,
  },
  { additionalProperties: false },
);

export type OrderSubmission = Static<typeof OrderSubmission>;
export type Order = Static<typeof Order>;
export type OrderLine = Static<typeof OrderLine>;
