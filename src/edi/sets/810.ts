/**
 * 810 Invoice (out) from an InvoiceSubmission and the order it bills.
 *
 * Layout from IBM's 810 reference
 * (https://www.ibm.com/docs/en/SSRJDU/business_transaction_intelligence/reference/bti_EDI_810_Invoice.html):
 * BIG01 invoice date, BIG02 invoice number, BIG03 PO date, BIG04 PO number; REF (IA vendor
 * number echoed from the 850, DP department); N1 loops with the 850's location codes (ST, BT)
 * and the seller (RE remit-to when the profile names one); ITD terms (ITD01 01 basic or 08 basic discount offered, ITD02 3
 * invoice date, ITD03 discount %, ITD05 discount days, ITD06 net due date, ITD07 net days);
 * DTM 011 shipped; IT1 per line (IT101 the PO1 line number echoed, quantity, unit, price, item
 * qualifiers) with PID; TDS01 total with two implied decimals (N2: 1234.50 → 123450); TXI per
 * tax; SAC per charge; CTT (IT1 count, sum of IT102). Same in 004010 and 005010 (5010 TDS is
 * still N2).
 */
import type { InvoiceSubmission } from '../../canonical/invoice.js';
import { sacOf } from './charges.js';
import { ATTR, findOrderLine, poDateOf, type AnyOrder } from './echo.js';
import { skuQualifierOf } from './partner-profile.js';
import { n1Loop, profileParty } from './parties.js';
import { echoElements, echoLine } from './po1-echo.js';
import { seg, type OutSegment, type SetContext } from './segments.js';
import { decimalToN2, decimalToR, hashTotal, isoToX12Date } from './values.js';

export interface InvoiceInput {
  invoice: InvoiceSubmission;
  order: AnyOrder;
  /** When the goods shipped (ISO 8601), for DTM*011. */
  shippedAt?: string;
}

/** The segments between ST and SE of an 810. */
export function invoiceToX12Invoice(input: InvoiceInput, ctx: SetContext): OutSegment[] {
  const { invoice, order } = input;
  const attrs = order.attributes ?? {};
  const out: OutSegment[] = [
    seg('BIG', isoToX12Date(invoice.invoiceDate), invoice.number.slice(0, 22), poDateOf(order), (order.poNumber ?? order.channelOrderId).slice(0, 22), attrs[ATTR.release]),
  ];
  if (invoice.currency !== 'USD') out.push(seg('CUR', 'SE', invoice.currency));
  for (const q of ['IA', 'DP']) if (attrs[`x12.ref.${q}`]) out.push(seg('REF', q, attrs[`x12.ref.${q}`]));
  const seller = ctx.partner.defaults?.seller;
  if (seller) out.push(...profileParty('RE', seller));
  if (order.billTo) out.push(...n1Loop('BT', order.billTo, { idQualifier: attrs[`${ATTR.n103Prefix}BT`] ?? '92', withAddress: !order.billTo.locationCode }));
  out.push(...n1Loop('ST', order.shipTo, { idQualifier: attrs[`${ATTR.n103Prefix}ST`] ?? '92', withAddress: !order.shipTo.locationCode }));
  if (invoice.terms) out.push(itd(invoice));
  if (input.shippedAt) out.push(seg('DTM', '011', isoToX12Date(input.shippedAt)));

  const quantities: string[] = [];
  for (const line of invoice.lines) {
    const orderLine = findOrderLine(order, line);
    const echoed = echoLine(orderLine, line.sku, line.quantity, line.unitPrice, skuQualifierOf(ctx.partner));
    // IT1 has the same element order as PO1 from IT101 to IT125: line number, quantity, unit, price, basis, ids.
    out.push(seg('IT1', ...echoElements(echoed)));
    quantities.push(echoed.quantity);
    const description = line.description ?? orderLine?.description;
    if (description) out.push(seg('PID', 'F', undefined, undefined, undefined, description.slice(0, 80)));
  }
  out.push(seg('TDS', decimalToN2(invoice.total)));
  for (const tax of invoice.taxes ?? []) out.push(seg('TXI', taxType(tax.name), decimalToR(tax.amount), tax.rate ? decimalToR(tax.rate) : undefined));
  for (const charge of invoice.charges ?? []) out.push(sacOf(charge));
  out.push(seg('CTT', String(invoice.lines.length), hashTotal(quantities)));
  return out;
}

function itd(invoice: InvoiceSubmission): OutSegment {
  const t = invoice.terms!;
  const discount = t.discountPercent !== undefined && t.discountDays !== undefined;
  return seg(
    'ITD', discount ? '08' : '01', '3', discount ? decimalToR(t.discountPercent!) : undefined, undefined, discount ? String(t.discountDays) : undefined,
    invoice.dueDate ? isoToX12Date(invoice.dueDate) : undefined, t.netDays !== undefined ? String(t.netDays) : undefined,
    undefined, undefined, undefined, undefined, t.description?.slice(0, 80),
  );
}

/** TXI01 tax type (list 963): ST state sales tax, LS local sales, GS goods and services, VA value added; ZZ otherwise. */
function taxType(name: string): string {
  const n = name.toLowerCase();
  if (n.includes('gst') || n.includes('hst')) return 'GS';
  if (n.includes('vat')) return 'VA';
  if (n.includes('local') || n.includes('city') || n.includes('county')) return 'LS';
  if (n.includes('sales') || n.includes('state') || n.includes('tax')) return 'ST';
  return 'ZZ';
}
