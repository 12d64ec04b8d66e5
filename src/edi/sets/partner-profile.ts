/**
 * The mapping part of a trading partner profile: how the partner's item ids, units and
 * location codes become crossdock SKUs, units, customer accounts and addresses. Kept in the
 * profile (configuration), never looked up over the network, so every mapping stays pure.
 *
 * ```yaml
 * partnerId: acme-retail
 * customerAccount: C-1001
 * items:
 *   "UP:012345678905": SKU-1
 *   "VN:ABC-1": { sku: SKU-2, uom: EA, factor: 12 }
 * units:
 *   - { from: CA, to: EA, factor: 12 }              # every SKU
 *   - { from: CA, to: EA, factor: 6, sku: SKU-9 }   # this SKU only (wins)
 * locations:
 *   "0042": { account: C-1001-42, address: { name: Store 42, line1: …, city: …, country: US } }
 * defaults: { currency: USD, uom: EA }
 * ```
 */
import Type, { type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { Address, Currency, UnitOfMeasure } from '../../canonical/common.js';

export const ItemCrossReference = Type.Union([
  Type.String({ minLength: 1, maxLength: 100, description: 'crossdock SKU' }),
  Type.Object(
    {
      sku: Type.String({ minLength: 1, maxLength: 100 }),
      uom: Type.Optional(UnitOfMeasure),
      factor: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'crossdock units (`uom`) in one partner unit. @default 1' })),
    },
    { additionalProperties: false },
  ),
]);

export const UnitConversion = Type.Object(
  {
    from: UnitOfMeasure,
    to: UnitOfMeasure,
    factor: Type.Number({ exclusiveMinimum: 0, description: '`to` units in one `from` unit (CA → 12 EA: 12)' }),
    sku: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Only for this crossdock SKU; without it the conversion is global' })),
  },
  { additionalProperties: false },
);

export const PartnerLocation = Type.Object(
  {
    account: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Customer account for orders shipped here (a store or DC billed on its own)' })),
    address: Type.Optional(Address),
  },
  { additionalProperties: false },
);

const PartyDefaults = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 60 }),
    /** N103 qualifier: 1 DUNS, 9 DUNS+4, 92 assigned by buyer, UL GLN. */
    idQualifier: Type.Optional(Type.String({ minLength: 1, maxLength: 2 })),
    id: Type.Optional(Type.String({ minLength: 2, maxLength: 80 })),
    address: Type.Optional(Address),
  },
  { additionalProperties: false },
);

export const PartnerMappingProfile = Type.Object(
  {
    partnerId: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$', description: 'Becomes OrderSubmission.channel' }),
    customerAccount: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Customer account in the ERP for this partner' })),
    items: Type.Optional(Type.Record(
      Type.String({ pattern: '^[A-Z0-9]{2}:.+$' }), ItemCrossReference,
      { additionalProperties: false, description: '"QUALIFIER:id" (UP UPC, VN/VP vendor part, BP buyer part, IN buyer item, EN EAN, UK GTIN-14) → crossdock item' },
    )),
    units: Type.Optional(Type.Array(UnitConversion, { maxItems: 1000 })),
    locations: Type.Optional(Type.Record(Type.String({ minLength: 1, maxLength: 80 }), PartnerLocation, { description: 'N104 location code → account and address' })),
    defaults: Type.Optional(Type.Object(
      {
        currency: Type.Optional(Currency),
        uom: Type.Optional(UnitOfMeasure),
        /** Qualifier under which outbound sets send the crossdock SKU when the order carried no ids of the partner's. @default VN */
        skuQualifier: Type.Optional(Type.String({ minLength: 2, maxLength: 2 })),
        /** Ship-from party (856 N1*SF, 940 N1*SF). */
        shipFrom: Type.Optional(PartyDefaults),
        /** Remit-to / selling party (810 N1*RE or SE). */
        seller: Type.Optional(PartyDefaults),
        /** The 3PL's depositor code (940 N1*DE / W05 context). */
        depositor: Type.Optional(PartyDefaults),
      },
      { additionalProperties: false },
    )),
  },
  { additionalProperties: false },
);

export type PartnerMappingProfile = Static<typeof PartnerMappingProfile>;
export type ItemCrossReference = Static<typeof ItemCrossReference>;
export type UnitConversion = Static<typeof UnitConversion>;
export type PartnerParty = Static<typeof PartyDefaults>;

const validator = Compile(PartnerMappingProfile);

/** The problems (JSON pointer + message) that keep `value` from being a partner mapping profile; [] when it is one. */
export function partnerProfileProblems(value: unknown): { pointer: string; detail: string }[] {
  if (validator.Check(value)) return [];
  return [...validator.Errors(value)].slice(0, 20).map((e) => ({ pointer: e.instancePath || '/', detail: e.message }));
}

/** @default USD */
export const currencyOf = (p: PartnerMappingProfile): string => p.defaults?.currency ?? 'USD';
/** @default EA */
export const defaultUomOf = (p: PartnerMappingProfile): string => p.defaults?.uom ?? 'EA';
/** @default VN */
export const skuQualifierOf = (p: PartnerMappingProfile): string => p.defaults?.skuQualifier ?? 'VN';
