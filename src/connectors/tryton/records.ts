import Type, { type Static, type TProperties, type TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { CrossdockError } from '../../errors/crossdock-error.js';
import type { TrytonRecord } from './rpc.js';
import { TRYTON_SYSTEM } from './rpc.js';
import type { TrytonSettings } from './settings.js';

/**
 * The Tryton records crossdock reads, as they look once decoded (codec.ts): the fields each
 * read asks for and the shape the answer must have. Related fields are read in the same call
 * with Tryton's dotted names (`warehouse.code`), which come back as a nested object under
 * `"warehouse."` (a list of them for x2many fields), or null.
 */

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
/** Tryton on SQLite answers booleans as 0/1. */
const Flag = Type.Union([Type.Boolean(), Type.Number()]);
const Related = <P extends TProperties>(properties: P) => Nullable(Type.Object({ id: Type.Number(), ...properties }));
const RelatedList = <P extends TProperties>(properties: P) => Type.Array(Type.Object({ id: Type.Number(), ...properties }));
/** Decimal strings, dates (`YYYY-MM-DD`) and datetimes (ISO, UTC) after decoding. */
const Text = Type.String();
const Stamps = { write_date: Nullable(Text), create_date: Nullable(Text) };

export const PARTY_FIELDS = ['name', 'code', 'receivable', 'customer_payment_term', 'sale_price_list'] as const;
export const TrytonParty = Type.Object({
  id: Type.Number(),
  name: Text,
  code: Nullable(Text),
  receivable: Nullable(Text),
  customer_payment_term: Nullable(Type.Number()),
  sale_price_list: Nullable(Type.Number()),
});
export type TrytonParty = Static<typeof TrytonParty>;

export const ADDRESS_FIELDS = ['party_name', 'name', 'street', 'postal_code', 'city', 'invoice'] as const;
export const TrytonAddress = Type.Object({
  id: Type.Number(),
  party_name: Nullable(Text),
  name: Nullable(Text),
  street: Nullable(Text),
  postal_code: Nullable(Text),
  city: Nullable(Text),
  invoice: Flag,
});
export type TrytonAddress = Static<typeof TrytonAddress>;

export const PRODUCT_FIELDS = ['code', 'name', 'active', 'sale_uom.symbol', 'default_uom.symbol'] as const;
export const TrytonProduct = Type.Object({
  id: Type.Number(),
  code: Nullable(Text),
  name: Text,
  active: Flag,
  'sale_uom.': Related({ symbol: Text }),
  'default_uom.': Related({ symbol: Text }),
});
export type TrytonProduct = Static<typeof TrytonProduct>;

export const SALE_FIELDS = ['number', 'state'] as const;
export const TrytonSale = Type.Object({ id: Type.Number(), number: Nullable(Text), state: Text });
export type TrytonSale = Static<typeof TrytonSale>;

/** The customer shipment; the tracking number is in `settings.trackingField`, read as well. */
export function shipmentFields(settings: Pick<TrytonSettings, 'trackingField'>): string[] {
  return ['number', 'state', 'effective_date', 'warehouse.code', 'carrier.party.name', 'outgoing_moves', 'write_date', 'create_date', settings.trackingField];
}
export const TrytonShipment = Type.Object({
  id: Type.Number(),
  number: Nullable(Text),
  state: Text,
  effective_date: Nullable(Text),
  'warehouse.': Related({ code: Nullable(Text) }),
  'carrier.': Type.Optional(Related({ 'party.': Related({ name: Text }) })),
  outgoing_moves: Type.Array(Type.Number()),
  ...Stamps,
});
export type TrytonShipment = Static<typeof TrytonShipment>;

/** A shipment's outgoing move with its sale (the sale module's `sale` field on moves). */
export function moveFields(settings: Pick<TrytonSettings, 'referenceField'>): string[] {
  return ['product.code', 'quantity', 'uom.symbol', 'state', `sale.${settings.referenceField}`, 'sale.number'];
}
export const TrytonMove = Type.Object({
  id: Type.Number(),
  'product.': Related({ code: Nullable(Text) }),
  quantity: Type.Number(),
  'uom.': Related({ symbol: Text }),
  state: Text,
  'sale.': Related({ number: Nullable(Text) }),
});
export type TrytonMove = Static<typeof TrytonMove>;

export type TrytonStamped = { id: number; write_date: string | null; create_date: string | null };

/** A stock move as the stock change feed reads it: which product moved, and when. */
export const CHANGED_MOVE_FIELDS = ['product', 'write_date', 'create_date'] as const;
export const TrytonChangedMove = Type.Object({ id: Type.Number(), product: Type.Number(), ...Stamps });
export type TrytonChangedMove = Static<typeof TrytonChangedMove>;

/** A customer invoice with its taxes, due dates and sales (the sale module's `sales` field). */
export function invoiceFields(settings: Pick<TrytonSettings, 'referenceField'>): string[] {
  return [
    'number', 'state', 'invoice_date', 'currency.code', 'total_amount', 'payment_term.name', 'lines',
    'taxes.description', 'taxes.amount', 'lines_to_pay.maturity_date', `sales.${settings.referenceField}`, 'sales.number',
    'write_date', 'create_date',
  ];
}
export const TrytonInvoice = Type.Object({
  id: Type.Number(),
  number: Nullable(Text),
  state: Text,
  invoice_date: Nullable(Text),
  'currency.': Related({ code: Text }),
  total_amount: Text,
  'payment_term.': Related({ name: Text }),
  lines: Type.Array(Type.Number()),
  'taxes.': RelatedList({ description: Nullable(Text), amount: Text }),
  'lines_to_pay.': RelatedList({ maturity_date: Nullable(Text) }),
  'sales.': RelatedList({ number: Nullable(Text) }),
  ...Stamps,
});
export type TrytonInvoice = Static<typeof TrytonInvoice>;

export const INVOICE_LINE_FIELDS = ['invoice', 'type', 'product.code', 'quantity', 'unit.symbol', 'unit_price', 'amount', 'description'] as const;
export const TrytonInvoiceLine = Type.Object({
  id: Type.Number(),
  invoice: Type.Number(),
  type: Text,
  'product.': Related({ code: Nullable(Text) }),
  quantity: Nullable(Type.Number()),
  'unit.': Related({ symbol: Text }),
  unit_price: Nullable(Text),
  amount: Nullable(Text),
  description: Nullable(Text),
});
export type TrytonInvoiceLine = Static<typeof TrytonInvoiceLine>;

export const QUANTITY_FIELDS = ['quantity', 'forecast_quantity'] as const;
export const TrytonQuantities = Type.Object({ id: Type.Number(), quantity: Type.Number(), forecast_quantity: Type.Number() });
export type TrytonQuantities = Static<typeof TrytonQuantities>;

export const WAREHOUSE_FIELDS = ['code', 'name'] as const;
export const TrytonWarehouse = Type.Object({ id: Type.Number(), code: Nullable(Text), name: Text });
export type TrytonWarehouse = Static<typeof TrytonWarehouse>;

export const UNIT_FIELDS = ['symbol'] as const;
export const TrytonUnit = Type.Object({ id: Type.Number(), symbol: Text });
export type TrytonUnit = Static<typeof TrytonUnit>;

/**
 * A related value read with a dotted field name whose own name is chosen by the settings (the
 * sale's reference field): `record["sale."][field]`, when it is a non-empty string.
 */
export function relatedText(related: Record<string, unknown> | null | undefined, field: string): string | undefined {
  const value = related?.[field];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The records, typed, or `target.rejected` when Tryton answered another shape (another version, a missing module). */
export function expectRecords<S extends TSchema>(schema: S, records: readonly TrytonRecord[], operation: string): Static<S>[] {
  for (const record of records) {
    if (!Value.Check(schema, record)) {
      const problem = Value.Errors(schema, record)[0];
      throw new CrossdockError('target.rejected', `Tryton answered ${operation} with a record of an unexpected shape`, {
        target: TRYTON_SYSTEM,
        context: { operation, recordId: record.id, problem: problem ? `${problem.instancePath}: ${problem.message}` : undefined },
      });
    }
  }
  return records as Static<S>[];
}
