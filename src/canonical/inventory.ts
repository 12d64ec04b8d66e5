import Type, { type Static } from 'typebox';
import { StringEnum, Timestamp, UnitOfMeasure } from './common.js';

const Quantity = Type.Number({ minimum: -1_000_000_000, maximum: 1_000_000_000 });

export const LevelChangeSchema = Type.Object(
  {
    sku: Type.String({ minLength: 1, maxLength: 100 }),
    location: Type.String({ minLength: 1, maxLength: 64, description: 'crossdock location code (a warehouse, a 3PL site, a store)' }),
    onHand: Type.Optional(Quantity),
    allocated: Type.Optional(Quantity),
    inTransit: Type.Optional(Quantity),
    expectedAt: Type.Optional(Type.Union([Type.String({ minLength: 10, maxLength: 40, description: 'ISO 8601 date or time the in-transit stock is expected' }), Type.Null()])),
    uom: Type.Optional(UnitOfMeasure),
  },
  { additionalProperties: false },
);

/** `POST /v1/inventory`: stock levels or movements from a WMS, 3PL, ERP or any source. */
export const InventoryBatchSchema = Type.Object(
  {
    source: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9][a-z0-9:._-]*$', description: 'Who says so (`wms:north`). @default api' })),
    sourceTimestamp: Type.Optional(Timestamp),
    mode: StringEnum(['delta', 'set', 'snapshot'] as const, 'delta: signed increments; set: these levels now stand at these figures; snapshot: the whole truth for its locations (levels not listed there are zero)'),
    locations: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, description: 'snapshot: the locations it covers. @default the locations its changes name' })),
    changes: Type.Array(LevelChangeSchema, { maxItems: 100_000 }),
  },
  { additionalProperties: false },
);
export type InventoryBatchBody = Static<typeof InventoryBatchSchema>;
