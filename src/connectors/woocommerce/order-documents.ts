import type { CallContext } from '../capabilities.js';
import type { ChannelOrderDocument } from '../../channels/types.js';
import type { WooClient } from './client.js';
import type { WooOrder, WooOrderDocument, WooRefund } from './document.js';
import { identifyWooOrder } from './mapping.js';

/**
 * One order version as crossdock journals it: the order plus its refunds' line items, fetched
 * only when the order lists refunds (the order itself gives refund totals only).
 */
export async function orderDocument(order: Record<string, unknown>, client: WooClient, ctx: CallContext): Promise<ChannelOrderDocument> {
  const refunds = Array.isArray(order.refunds) && order.refunds.length > 0 ? await client.listRefunds(String(order.id), ctx) : [];
  const document: WooOrderDocument = { order: order as unknown as WooOrder, refunds: refunds as WooRefund[] };
  const identity = identifyWooOrder(document);
  // Callers only pass orders with an id and a date; the fallback keeps the type honest.
  return { channelOrderId: identity?.channelOrderId ?? String(order.id), updatedAt: identity?.updatedAt ?? new Date(0).toISOString(), document };
}
