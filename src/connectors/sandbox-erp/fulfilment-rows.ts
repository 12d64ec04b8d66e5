import { Value } from 'typebox/value';
import {
  SandboxInvoice,
  SandboxShipment,
  type SandboxInvoiceLine,
  type SandboxShipmentLine,
  type SandboxStockLevel,
} from './fulfilment-documents.js';

/*
 * Rows of the sandbox ERP's shipment, invoice and stock tables, and the documents they read back
 * as. Documents are checked against their schemas, so a hand-edited database fails loudly here
 * and not in a connector.
 */

/** Columns of a shipment with its sales order's external reference. */
export const SHIPMENT_SELECT = `SELECT s.id, s.number, s.sales_order, o.external_ref, s.carrier, s.tracking, s.warehouse, s.shipped_at, s.updated_at
  FROM shipments s JOIN sales_orders o ON o.number = s.sales_order`;

/** Columns of an invoice with its sales order's external reference. */
export const INVOICE_SELECT = `SELECT i.id, i.number, i.sales_order, o.external_ref, i.state, i.currency, i.invoice_date, i.due_date, i.net_days,
  i.charges, i.taxes, i.total, i.updated_at
  FROM invoices i JOIN sales_orders o ON o.number = i.sales_order`;

/** Columns of a stock level with its item's unit. */
export const LEVEL_SELECT = `SELECT s.sku, s.warehouse, s.qty, i.uom, s.updated_at
  FROM stock s JOIN items i ON i.sku = s.sku`;

export interface ShipmentRow {
  id: number; number: string; sales_order: string; external_ref: string; carrier: string; tracking: string | null;
  warehouse: string; shipped_at: string; updated_at: string;
}
export interface ShipmentLineRow { shipment_id: number; line_no: number; sku: string; quantity: number; uom: string; warehouse: string }
export interface InvoiceRow {
  id: number; number: string; sales_order: string; external_ref: string; state: string; currency: string; invoice_date: string;
  due_date: string; net_days: number; charges: string; taxes: string; total: string; updated_at: string;
}
export interface InvoiceLineRow {
  invoice_id: number; line_no: number; sku: string; description: string | null; quantity: number; uom: string; unit_price: string; amount: string;
}
export interface LevelRow { sku: string; warehouse: string; qty: number; uom: string; updated_at: string | null }

export function toShipment(row: ShipmentRow, lines: readonly ShipmentLineRow[]): SandboxShipment {
  const shipment: unknown = {
    id: row.id,
    number: row.number,
    salesOrder: row.sales_order,
    externalRef: row.external_ref,
    carrier: row.carrier,
    tracking: row.tracking,
    warehouse: row.warehouse,
    shippedAt: row.shipped_at,
    updatedAt: row.updated_at,
    lines: lines.map((l): SandboxShipmentLine => ({ lineNo: l.line_no, sku: l.sku, quantity: l.quantity, uom: l.uom, warehouse: l.warehouse })),
  };
  if (!Value.Check(SandboxShipment, shipment)) throw new Error(`sandbox ERP shipment ${row.number} does not match its schema`);
  return shipment;
}

export function toInvoice(row: InvoiceRow, lines: readonly InvoiceLineRow[]): SandboxInvoice {
  const invoice: unknown = {
    id: row.id,
    number: row.number,
    salesOrder: row.sales_order,
    externalRef: row.external_ref,
    state: row.state,
    currency: row.currency,
    invoiceDate: row.invoice_date,
    dueDate: row.due_date,
    netDays: row.net_days,
    lines: lines.map((l): SandboxInvoiceLine => ({
      lineNo: l.line_no,
      sku: l.sku,
      ...(l.description === null ? {} : { description: l.description }),
      quantity: l.quantity,
      uom: l.uom,
      unitPrice: l.unit_price,
      amount: l.amount,
    })),
    charges: JSON.parse(row.charges) as unknown,
    taxes: JSON.parse(row.taxes) as unknown,
    total: row.total,
    updatedAt: row.updated_at,
  };
  if (!Value.Check(SandboxInvoice, invoice)) throw new Error(`sandbox ERP invoice ${row.number} does not match its schema`);
  return invoice;
}

export function toLevel(row: LevelRow): SandboxStockLevel {
  return { sku: row.sku, warehouse: row.warehouse, quantity: row.qty, uom: row.uom, updatedAt: row.updated_at };
}

/** Rows grouped by the id of the document they belong to. */
export function groupBy<R, K>(rows: readonly R[], keyOf: (row: R) => K): Map<K, R[]> {
  const groups = new Map<K, R[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}
