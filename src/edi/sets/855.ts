/**
 * 855 Purchase Order Acknowledgment (out) from the order and crossdock's per-line decisions.
 *
 * Layout from IBM's 855 reference
 * (https://www.ibm.com/docs/en/SSRJDU/business_transaction_intelligence/reference/bti_EDI_855_Purchase_order_acknowledgment.html)
 * and Walmart's DSV guide (https://developer.walmart.com/suppliers/docs/855-purchase-order-acknowledgement):
 * BAK01 00 original, BAK02 AD acknowledge with detail no change / AC with detail and change /
 * RJ rejected no detail, BAK03 PO number, BAK04 PO date, BAK08 seller's order number, BAK09
 * acknowledgment date; PO1 echo of each line followed by ACK (ACK01 IA accepted, IB backordered,
 * IR rejected, IQ quantity changed, IP price changed; ACK02 quantity; ACK03 unit; ACK04 068 current
 * schedule ship + ACK05 date); CTT01 number of PO1, CTT02 sum of PO102. Same in 004010 and 005010.
 */
import { ATTR, findOrderLine, poDateOf, toPartnerQuantity, type AnyOrder } from './echo.js';
import { skuQualifierOf } from './partner-profile.js';
import { echoElements, echoLine } from './po1-echo.js';
import { seg, type OutSegment, type SetContext } from './segments.js';
import { hashTotal, isoToX12Date, quantityToR } from './values.js';

export type LineDecisionStatus = 'accepted' | 'backordered' | 'rejected' | 'quantity_changed' | 'price_changed';

/** What crossdock decided for (part of) one order line. Several decisions for one line split it (6 accepted, 4 backordered). */
export interface LineDecision {
  lineId?: string;
  /** Matches the line when it has no line id. */
  sku?: string;
  status: LineDecisionStatus;
  /** crossdock units; @default the ordered quantity */
  quantity?: number;
  /** For price_changed: the new crossdock unit price. */
  unitPrice?: string;
  /** When the quantity is expected to ship (ISO 8601), for backorders and accepted lines alike. */
  shipDate?: string;
}

export interface AcknowledgmentInput {
  order: AnyOrder & { id?: string };
  decisions: readonly LineDecision[];
  /** ISO 8601. */
  acknowledgedAt: string;
}

const ACK_CODE: Readonly<Record<LineDecisionStatus, string>> = { accepted: 'IA', backordered: 'IB', rejected: 'IR', quantity_changed: 'IQ', price_changed: 'IP' };

/** The segments between ST and SE of an 855. Lines without a decision are acknowledged as accepted in full. */
export function orderToX12Acknowledgment(input: AcknowledgmentInput, ctx: SetContext): OutSegment[] {
  const { order } = input;
  const perLine = order.lines.map((line) => ({
    line,
    decisions: input.decisions.filter((d) => findOrderLine(order, { lineId: d.lineId, sku: d.sku ?? '' }) === line),
  }));
  const all = perLine.flatMap((l) => (l.decisions.length > 0 ? l.decisions : [{ status: 'accepted' as const }]));
  const type = all.every((d) => d.status === 'rejected') ? 'RJ' : all.every((d) => d.status === 'accepted' && d.quantity === undefined) ? 'AD' : 'AC';
  const out: OutSegment[] = [seg('BAK', '00', type, order.poNumber ?? order.channelOrderId, poDateOf(order), order.attributes?.[ATTR.release], undefined, undefined, order.id, isoToX12Date(input.acknowledgedAt))];
  // RJ is "rejected - no detail": the guides send no PO1 loop with it.
  if (type === 'RJ') return out;
  const quantities: string[] = [];
  for (const { line, decisions } of perLine) {
    // A price change is acknowledged with the new price in PO104 and ACK01 = IP.
    const newPrice = decisions.find((d) => d.status === 'price_changed' && d.unitPrice !== undefined)?.unitPrice;
    const echoed = echoLine(line, line.sku, line.quantity, newPrice ?? line.unitPrice, skuQualifierOf(ctx.partner));
    quantities.push(echoed.quantity);
    out.push(seg('PO1', ...echoElements(echoed)));
    for (const d of decisions.length > 0 ? decisions : [{ status: 'accepted' as const }]) {
      const decision: LineDecision = d;
      // Each ACK in the partner's unit when it divides evenly (1 CA), else in eaches (6 EA of a case).
      const q = toPartnerQuantity(decision.quantity ?? line.quantity, line.uom, line);
      const date = decision.shipDate ? isoToX12Date(decision.shipDate) : undefined;
      out.push(seg('ACK', ACK_CODE[decision.status], quantityToR(q.quantity), q.uom, date ? '068' : undefined, date));
    }
  }
  out.push(seg('CTT', String(perLine.length), hashTotal(quantities)));
  return out;
}
