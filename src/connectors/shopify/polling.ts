import type { ChannelDeps, ChannelOrderDocument, PollingSource, PollPage } from '../../channels/types.js';
import { CrossdockError } from '../../errors/crossdock-error.js';
import type { CallContext } from '../capabilities.js';
import type { ShopifyClient } from './client.js';
import { identifyShopifyOrder } from './mapping.js';
import type { ResolvedShopifySettings } from './settings.js';

/** The largest page `orders.json` gives (REST Admin API: limit ≤ 250). */
export const PAGE_LIMIT = 250;

/**
 * Catch-up polling, for webhooks Shopify gave up on or never sent. Lists orders by `updated_at`
 * ascending from the cursor minus an overlap, following `Link: rel="next"` page_info cursors.
 *
 * Cursor: the ISO `updated_at` of the last order of the last completed page (as Shopify wrote
 * it, offset included). The next poll asks for `updated_at_min = cursor − overlapSeconds`:
 * an order saved during the previous poll may carry an earlier time than one already seen.
 * A page with no orders keeps the cursor where it was (the first poll: where it started).
 */
export function createShopifyPolling(settings: ResolvedShopifySettings, client: ShopifyClient, deps: Pick<ChannelDeps, 'clock'>): PollingSource {
  return {
    async *poll(cursor: string | undefined, ctx: CallContext): AsyncIterable<PollPage> {
      const from = startOf(cursor, settings, deps.clock.now());
      let last = cursor ?? from;
      const query = new URLSearchParams({ status: 'any', updated_at_min: from, order: 'updated_at asc', limit: String(PAGE_LIMIT) });
      let request: { query: string } | { next: string } = { query: query.toString() };
      for (;;) {
        const page = await client.ordersPage(request, ctx);
        const documents = page.orders.map(toDocument);
        const newest = documents.at(-1)?.updatedAt;
        if (newest !== undefined && Date.parse(newest) >= Date.parse(last)) last = newest;
        yield { documents, cursor: last, done: page.next === undefined };
        if (page.next === undefined) return;
        request = { next: page.next };
      }
    },
  };
}

function startOf(cursor: string | undefined, settings: ResolvedShopifySettings, now: number): string {
  if (cursor === undefined) return new Date(now - settings.pollLookbackMinutes * 60_000).toISOString();
  const at = Date.parse(cursor);
  if (Number.isNaN(at)) throw new CrossdockError('internal.defect', `Shopify poll cursor is not a timestamp: ${cursor}`);
  return new Date(at - settings.overlapSeconds * 1000).toISOString();
}

function toDocument(order: unknown, index: number): ChannelOrderDocument {
  const identity = identifyShopifyOrder(order);
  if (identity === undefined) {
    throw new CrossdockError('target.rejected', `Shopify listed an order without id or updated_at (position ${index})`);
  }
  return { ...identity, document: order };
}
