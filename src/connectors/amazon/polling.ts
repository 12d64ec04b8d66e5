import type { CallContext } from '../capabilities.js';
import type { ChannelDeps, ChannelOrderDocument, PollingSource, PollPage } from '../../channels/types.js';
import { CrossdockError } from '../../errors/crossdock-error.js';
import type { AmazonClient } from './client.js';
import { instant, text, type JsonRecord } from './document.js';
import type { RestrictedResource } from './rdt.js';
import type { ResolvedAmazonSettings } from './settings.js';

/**
 * getOrders: LastUpdatedBefore must be "at least 2 minutes before current time", and most
 * updates are visible only two minutes after they happen ("Get orders with filtering
 * criteria"). Each window ends this long before the poll, a few seconds of clock skew included.
 */
export const SETTLE_MS = 125_000;
const FIRST_POLL_LOOKBACK_MS = 24 * 60 * 60 * 1000;
/** Tokens API: one RDT covers at most 50 restricted resources. */
const RDT_RESOURCES_MAX = 50;

/**
 * Statuses whose orders are not ready: no prices (getOrderItems note on Pending) and no
 * address (ShippingAddress is given only from Unshipped on). They are left out of the page,
 * and the cursor moves past them all the same: payment authorisation changes the status,
 * which is an update ("any change in order status"), so the order comes again with a newer
 * LastUpdateDate in a later window.
 */
const NOT_READY = new Set(['Pending', 'PendingAvailability']);

/**
 * Orders changed since the cursor, in `getOrders` pages of up to 100, each order with all its
 * items. The cursor is an ISO 8601 instant; each poll starts `overlapSeconds` before it and
 * ends SETTLE_MS before now. A completed window stores its end (everything before it was
 * seen); a page in the middle stores the LastUpdateDate of its last order, which is safe while
 * Amazon returns orders in LastUpdateDate order — if a page ever comes back out of order, the
 * window's start is kept instead, so an interrupted poll starts the window again rather than
 * skip anything.
 */
export function createPolling(client: AmazonClient, settings: ResolvedAmazonSettings, deps: ChannelDeps): PollingSource {
  return {
    poll: (cursor, ctx) => pollOrders(cursor, ctx),
  };

  async function* pollOrders(cursor: string | undefined, ctx: CallContext): AsyncGenerator<PollPage> {
    const now = deps.clock.now();
    const overlapMs = settings.overlapSeconds * 1000;
    const start = windowStart(cursor, settings.pollStartAt, now, overlapMs);
    const end = now - SETTLE_MS;
    const resumeCursor = new Date(start + overlapMs).toISOString();
    if (start >= end) {
      yield { documents: [], cursor: cursor ?? new Date(start).toISOString(), done: true };
      return;
    }
    const lastUpdatedAfter = new Date(start).toISOString();
    const lastUpdatedBefore = new Date(end).toISOString();
    let nextToken: string | undefined;
    let latest = start;
    let ordered = true;
    do {
      const page = await client.getOrders(
        { marketplaceIds: settings.marketplaceIds, lastUpdatedAfter, lastUpdatedBefore, ...(nextToken === undefined ? {} : { nextToken }) },
        settings.useRestrictedDataToken,
        ctx,
      );
      for (const order of page.orders) {
        const updated = Date.parse(text(order.LastUpdateDate) ?? '');
        if (Number.isNaN(updated)) continue;
        if (updated < latest) ordered = false;
        latest = Math.max(latest, updated);
      }
      const documents = await withItems(page.orders, ctx);
      nextToken = page.nextToken;
      const done = nextToken === undefined;
      const pageCursor = done ? lastUpdatedBefore : ordered ? new Date(latest).toISOString() : resumeCursor;
      yield { documents, cursor: pageCursor, done };
      client.rdt.prune();
    } while (nextToken !== undefined);
  }

  async function withItems(orders: readonly JsonRecord[], ctx: CallContext): Promise<ChannelOrderDocument[]> {
    const ready = orders.filter((order) => !NOT_READY.has(text(order.OrderStatus) ?? ''));
    const resources = settings.useRestrictedDataToken ? itemResources(ready) : new Map<string, RestrictedResource[]>();
    const documents: ChannelOrderDocument[] = [];
    for (const order of ready) {
      const channelOrderId = text(order.AmazonOrderId);
      const updatedAt = instant(order.LastUpdateDate);
      if (channelOrderId === undefined || updatedAt === undefined) {
        deps.logger.warn({ order: channelOrderId }, 'amazon: order without AmazonOrderId or LastUpdateDate skipped');
        continue;
      }
      const items = await client.getOrderItems(channelOrderId, resources.get(channelOrderId), ctx);
      documents.push({ channelOrderId, updatedAt, document: { order, items } });
    }
    return documents;
  }
}

function windowStart(cursor: string | undefined, pollStartAt: string | undefined, now: number, overlapMs: number): number {
  if (cursor === undefined) return pollStartAt === undefined ? now - FIRST_POLL_LOOKBACK_MS : Date.parse(pollStartAt);
  const at = Date.parse(cursor);
  if (Number.isNaN(at)) throw new CrossdockError('internal.defect', `amazon poll cursor is not an ISO 8601 instant: ${cursor}`);
  return at - overlapMs;
}

/**
 * One RDT per group of up to 50 orders of the page, for their getOrderItems calls (item-level
 * buyer info: gift messages and gift wrap).
 */
function itemResources(orders: readonly JsonRecord[]): Map<string, RestrictedResource[]> {
  const ids = orders.map((order) => text(order.AmazonOrderId)).filter((id): id is string => id !== undefined);
  const byOrder = new Map<string, RestrictedResource[]>();
  for (let i = 0; i < ids.length; i += RDT_RESOURCES_MAX) {
    const group = ids.slice(i, i + RDT_RESOURCES_MAX);
    const resources = group.map((id): RestrictedResource => ({ method: 'GET', path: `/orders/v0/orders/${id}/orderItems`, dataElements: ['buyerInfo'] }));
    for (const id of group) byOrder.set(id, resources);
  }
  return byOrder;
}
