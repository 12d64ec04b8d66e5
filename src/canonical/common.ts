import Type from 'typebox';
import { DECIMAL_PATTERN } from '../lib/money.js';

/** ISO 4217 currency codes known to the runtime's ICU data (Node ships full ICU). */
export const CURRENCY_CODES: readonly string[] = Intl.supportedValuesOf('currency');

/** An enum (not a union of literals) so that a bad code yields one readable error, not 160. */
export const Currency = Type.Unsafe<string>({
  type: 'string',
  enum: [...CURRENCY_CODES],
  description: 'ISO 4217 currency code',
  examples: ['USD'],
});

/** A string restricted to `values`, as a JSON Schema enum with its literal union as the type. */
export function StringEnum<const T extends readonly string[]>(values: T, description?: string) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });
}

/** Money as a decimal string, never a float, so amounts survive every hop unchanged. */
export const Decimal = Type.String({
  pattern: DECIMAL_PATTERN,
  description: 'Decimal amount as a string, up to 6 decimal places',
  examples: ['10.00'],
});

export const Timestamp = Type.String({ format: 'date-time', description: 'ISO 8601 timestamp' });

/** Unit of measure code as the ERP knows it (EA, CA, BX, KG …). */
export const UnitOfMeasure = Type.String({ pattern: '^[A-Z0-9]{1,6}$', description: 'Unit of measure code', examples: ['EA', 'CA'] });

export const Address = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    company: Type.Optional(Type.String({ maxLength: 200 })),
    line1: Type.String({ minLength: 1, maxLength: 200 }),
    line2: Type.Optional(Type.String({ maxLength: 200 })),
    city: Type.String({ minLength: 1, maxLength: 100 }),
    region: Type.Optional(Type.String({ maxLength: 100 })),
    postalCode: Type.Optional(Type.String({ maxLength: 20 })),
    country: Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2 country code' }),
    phone: Type.Optional(Type.String({ maxLength: 40 })),
    email: Type.Optional(Type.String({ maxLength: 254 })),
    locationCode: Type.Optional(Type.String({ maxLength: 80, description: "The partner's own code for this location (EDI N104)" })),
  },
  { additionalProperties: false },
);

/** Where a canonical object came from, in the source system's own terms. */
export const SourceRef = Type.Object(
  { system: Type.String(), id: Type.String() },
  { additionalProperties: false },
);
