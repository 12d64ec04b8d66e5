/**
 * How crossdock talks to one Tryton database: resolved from the `erp` section of the
 * configuration (secrets already read from the environment) or from a `tryton+http://` URL.
 */
export interface TrytonSettings {
  /** Scheme, host and port of trytond, e.g. `http://127.0.0.1:8000` (no database path). */
  url: string;
  database: string;
  user: string;
  password: string;
  /**
   * Tryton warehouse code → crossdock location code. Only these warehouses are read for stock;
   * empty: every warehouse, under its own code.
   */
  warehouses: Record<string, string>;
  /** Tryton company id crossdock works in (a user of several companies); absent: the user's current company. */
  company?: number;
  /** Code of the warehouse sales orders ship from (Tryton needs one when it has several). */
  defaultWarehouse: string;
  /** The sale field that carries crossdock's order id. @default 'reference' */
  referenceField: string;
  /** crossdock customer account id → Tryton party code; absent ids are used as the code unchanged. */
  customers: Record<string, string>;
  /** crossdock SKU → Tryton product code; absent SKUs are used as the code unchanged. */
  skus: Record<string, string>;
  /** crossdock unit of measure code → Tryton unit symbol (`EA` → `u`); merged over the defaults. */
  units: Record<string, string>;
  /** The shipment field a warehouse user types the tracking number into. @default 'reference' */
  trackingField: string;
  /** Carrier name reported to channels when the shipment names none. @default 'Other' */
  defaultCarrier: string;
  /** Product code of a freight line for the order's shipping charges; absent: charges are not sent. */
  shippingProduct?: string;
  /** How far back each poll looks before its cursor, for records committed late. @default 60 */
  overlapSeconds: number;
  /** Records per search_read page. @default 200 */
  pageSize: number;
}

/** crossdock's common unit codes and the symbols of Tryton's stock units (product module data). */
export const DEFAULT_TRYTON_UNITS: Record<string, string> = {
  EA: 'u',
  DZ: 'dz',
  KG: 'kg',
  G: 'g',
  LB: 'lb',
  OZ: 'oz',
  M: 'm',
  CM: 'cm',
  FT: 'ft',
  IN: 'in',
  L: 'l',
  GAL: 'gal',
  H: 'h',
};

export function trytonSettings(base: Pick<TrytonSettings, 'url' | 'database' | 'user' | 'password'> & Partial<TrytonSettings>): TrytonSettings {
  return {
    warehouses: {},
    defaultWarehouse: 'WH',
    referenceField: 'reference',
    customers: {},
    skus: {},
    trackingField: 'reference',
    defaultCarrier: 'Other',
    overlapSeconds: 60,
    pageSize: 200,
    ...base,
    units: { ...DEFAULT_TRYTON_UNITS, ...(base.units ?? {}) },
  };
}
