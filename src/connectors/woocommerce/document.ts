/**
 * WooCommerce REST API v3 documents as crossdock reads them, and the small readers that turn
 * `unknown` JSON into them without trusting it. Field names follow the v3 reference
 * (https://woocommerce.github.io/woocommerce-rest-api-docs/, "Order properties", "Order refund
 * properties", "Order note properties"); only the fields crossdock uses are typed.
 */

export interface WooMeta {
  id?: number;
  key: string;
  value: unknown;
  /** Since WooCommerce 7.x line-item meta also carries the label and value shown to people. */
  display_key?: string;
  display_value?: unknown;
}

export interface WooAddress {
  first_name?: string;
  last_name?: string;
  company?: string;
  address_1?: string;
  address_2?: string;
  city?: string;
  state?: string;
  postcode?: string;
  country?: string;
  email?: string;
  phone?: string;
}

export interface WooLineTax {
  /** The tax rate id (matches `tax_lines[].rate_id`). */
  id: number;
  total: string;
  subtotal?: string;
}

export interface WooLineItem {
  id: number;
  name?: string;
  product_id?: number;
  variation_id?: number;
  quantity: number;
  subtotal: string;
  subtotal_tax?: string;
  total: string;
  total_tax?: string;
  taxes?: WooLineTax[];
  meta_data?: WooMeta[];
  /** Empty (or null) for products without a SKU. */
  sku?: string | null;
  /** A float computed from `total / quantity`: never read for money. */
  price?: number;
}

export interface WooTaxLine {
  id?: number;
  rate_code?: string;
  rate_id?: number;
  label?: string;
  compound?: boolean;
  tax_total?: string;
  shipping_tax_total?: string;
  /** The rate in percent (WooCommerce 5.7+); absent on older stores. */
  rate_percent?: number;
}

export interface WooShippingLine {
  id?: number;
  method_title?: string;
  method_id?: string;
  total?: string;
  total_tax?: string;
}

export interface WooFeeLine {
  id?: number;
  name?: string;
  total?: string;
  total_tax?: string;
}

export interface WooCouponLine {
  id?: number;
  code?: string;
  discount?: string;
  discount_tax?: string;
}

export interface WooOrderRefundSummary {
  id: number;
  reason?: string;
  /** Negative: the order endpoint prefixes refund totals with "-". */
  total?: string;
}

export interface WooOrder {
  id: number;
  parent_id?: number;
  number?: string;
  status?: string;
  currency?: string;
  date_created_gmt?: string | null;
  date_modified_gmt?: string | null;
  date_paid_gmt?: string | null;
  prices_include_tax?: boolean;
  customer_id?: number;
  customer_note?: string;
  billing?: WooAddress;
  shipping?: WooAddress;
  payment_method?: string;
  payment_method_title?: string;
  transaction_id?: string;
  meta_data?: WooMeta[];
  line_items?: WooLineItem[];
  tax_lines?: WooTaxLine[];
  shipping_lines?: WooShippingLine[];
  fee_lines?: WooFeeLine[];
  coupon_lines?: WooCouponLine[];
  refunds?: WooOrderRefundSummary[];
}

/** One refund as `GET /orders/{id}/refunds` gives it: line items carry negative quantities. */
export interface WooRefund {
  id: number;
  date_created_gmt?: string;
  amount?: string;
  reason?: string;
  line_items?: (Partial<WooLineItem> & { meta_data?: WooMeta[] })[];
}

export interface WooNote {
  id: number;
  author?: string;
  date_created_gmt?: string;
  note: string;
  customer_note?: boolean;
}

export interface WooProduct {
  id: number;
  /** 0 for a product; the variable product's id for a variation. */
  parent_id?: number;
  type?: string;
  sku?: string;
  manage_stock?: boolean | 'parent';
  stock_quantity?: number | null;
}

/**
 * What crossdock journals as one WooCommerce order version: the order as the API or webhook
 * gave it, and the order's refunds with their line items. The order only lists refund totals
 * (`refunds[].total`); which lines and how many units were refunded needs the separate
 * `GET /orders/{id}/refunds` call, so the connector fetches it whenever `order.refunds` is not
 * empty and the mapping stays pure. A bare order (e.g. `crossdock map woocommerce order FILE`
 * on a saved API answer) is accepted too; its refunds then reduce nothing, with a warning.
 */
export interface WooOrderDocument {
  order: WooOrder;
  refunds: WooRefund[];
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Splits a journaled document into its order and refunds; undefined when it is neither shape. */
export function readDocument(document: unknown): { order: Record<string, unknown>; refunds: unknown[] | undefined } | undefined {
  if (!isRecord(document)) return undefined;
  if (isRecord(document.order)) {
    return { order: document.order, refunds: Array.isArray(document.refunds) ? document.refunds : [] };
  }
  if ('id' in document || 'line_items' in document) return { order: document, refunds: undefined };
  return undefined;
}

/** WooCommerce `*_gmt` dates are UTC written without a zone ("2017-03-22T19:28:02"): add it. */
export function gmtToIso(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]00:?00)?$/.exec(text);
  if (!match) return undefined;
  const iso = `${match[1]}T${match[2]}${match[3] ?? ''}Z`;
  return Number.isNaN(Date.parse(iso)) ? undefined : iso;
}

/** The order id as crossdock keys it; undefined when it is not a positive integer. */
export function orderIdOf(order: Record<string, unknown>): string | undefined {
  const id = order.id;
  if (typeof id === 'number' && Number.isInteger(id) && id > 0) return String(id);
  if (typeof id === 'string' && /^[1-9]\d*$/.test(id)) return id;
  return undefined;
}
