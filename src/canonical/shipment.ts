import Type, { type Static } from 'typebox';
import { Timestamp, UnitOfMeasure } from './common.js';

export const SHIPMENT_SCHEMA_VERSION = 1;

export const ShipmentLine = Type.Object(
  {
    lineId: Type.Optional(Type.String({ maxLength: 64, description: "The order line's channel line id, when the channel gave one" })),
    sku: Type.String({ minLength: 1, maxLength: 100 }),
    quantity: Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000_000 }),
    uom: Type.Optional(UnitOfMeasure),
  },
  { additionalProperties: false },
);

export const Tracking = Type.Object(
  {
    number: Type.String({ minLength: 1, maxLength: 100 }),
    url: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);

export const ShipmentPackage = Type.Object(
  {
    sscc: Type.Optional(Type.String({ pattern: '^[0-9]{18}$', description: 'SSCC-18 of the carton or pallet label (with its check digit)' })),
    trackingNumber: Type.Optional(Type.String({ maxLength: 100 })),
    weight: Type.Optional(Type.Object({ value: Type.Number({ exclusiveMinimum: 0 }), unit: Type.Union([Type.Literal('LB'), Type.Literal('KG')]) }, { additionalProperties: false })),
    lines: Type.Array(ShipmentLine, { minItems: 1, maxItems: 5000 }),
  },
  { additionalProperties: false },
);

/** A shipment of (part of) one order, as the warehouse, 3PL or ERP reports it. */
export const ShipmentSubmission = Type.Object(
  {
    orderId: Type.String({ minLength: 1, maxLength: 64, description: 'crossdock order id' }),
    shipmentId: Type.String({ minLength: 1, maxLength: 128, description: "The shipping system's id; one shipment is published once" }),
    shippedAt: Timestamp,
    carrier: Type.String({ minLength: 1, maxLength: 100, description: 'Carrier name as the channel knows it (UPS, FedEx, USPS, DHL …)' }),
    service: Type.Optional(Type.String({ maxLength: 100 })),
    tracking: Type.Array(Tracking, { maxItems: 100 }),
    lines: Type.Array(ShipmentLine, { minItems: 1, maxItems: 5000 }),
    warehouse: Type.Optional(Type.String({ maxLength: 64 })),
    packages: Type.Optional(Type.Array(ShipmentPackage, { maxItems: 10_000, description: 'Cartons or pallets and what each holds (EDI 856 pack level)' })),
    billOfLading: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);

export type ShipmentSubmission = Static<typeof ShipmentSubmission>;
export type ShipmentLine = Static<typeof ShipmentLine>;
export type ShipmentPackage = Static<typeof ShipmentPackage>;
