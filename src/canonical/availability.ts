import Type, { type Static } from 'typebox';

/** What a channel may sell of one SKU (at one location, when the channel sells per location). */
export const AvailabilityUpdate = Type.Object(
  {
    sku: Type.String({ minLength: 1, maxLength: 100, description: 'crossdock SKU; each channel publishes it under its own reference' }),
    available: Type.Integer({ minimum: 0, maximum: 1_000_000_000 }),
    location: Type.Optional(Type.String({ maxLength: 64, description: 'crossdock location code; channels map it to their own' })),
  },
  { additionalProperties: false },
);

export type AvailabilityUpdate = Static<typeof AvailabilityUpdate>;
