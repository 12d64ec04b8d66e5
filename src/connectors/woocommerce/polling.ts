import type { CallContext } from '../capabilities.js';
import type { ChannelOrderDocument, PollingSource, PollPage } from '../../channels/types.js';
import { CrossdockError } from '../../errors/crossdock-error.js';
import type { Clock } from '../../lib/clock.js';
import { MAX_PER_PAGE, type WooClient } from './client.js';
import { gmtToIso } from './document.js';
import { orderDocument } from './order-documents.js';

export interface WooPollingOptions {
  client: WooClient;
  clock: Clock;
  /** First poll without `pollStartAt`: how far back to look. */
  lookbackMinutes: number;
  /** Each poll starts this long before the cursor, for orders saved while the last poll ran. */
  overlapSeconds: number;
  /** First poll: start here instead of the look-back (ISO 8601). */
  pollStartAt?: string;
}

/**
 * Catch-up polling by modification time. The cursor is the newest `date_modified_gmt` seen, as
 * an ISO 8601 UTC timestamp (`2024-05-14T14:15:02Z`); each poll asks for orders modified after
 * cursor − overlap, oldest first.
 *
 * Pages are walked by moving `modified_after` to the last page's newest second rather than by
 * page number: an order modified while the poll pages through moves to the end of the list and
 * would shift an unread order onto a page already read. Only a full page that is all one second
 * is stepped through by page number (the date filter has second precision).
 */
export function createWooPolling(options: WooPollingOptions): PollingSource {
  return {
    poll: (cursor, ctx) => pollPages(cursor, options, ctx),
  };
}

async function* pollPages(cursor: string | undefined, options: WooPollingOptions, ctx: CallContext): AsyncGenerator<PollPage> {
  const { client } = options;
  let highWater = cursor === undefined ? undefined : parseCursor(cursor);
  let after = highWater !== undefined ? highWater - options.overlapSeconds * 1000 : firstPollStart(options);
  let page = 1;
  // Moving modified_after to the newest second re-reads that second's orders: give each order
  // version once per poll.
  const given = new Set<string>();
  for (;;) {
    const result = await client.listOrdersModifiedAfter(wpUtc(after), page, ctx);
    const documents: ChannelOrderDocument[] = [];
    let newest: number | undefined;
    let oldest: number | undefined;
    for (const order of result.orders) {
      const modified = gmtToIso(order.date_modified_gmt) ?? gmtToIso(order.date_created_gmt);
      if (modified === undefined) continue;
      const at = Date.parse(modified);
      newest = newest === undefined ? at : Math.max(newest, at);
      oldest = oldest === undefined ? at : Math.min(oldest, at);
      // Block checkout drafts are carts, not orders (WooCommerce sends them no webhooks either).
      if (order.status === 'checkout-draft') continue;
      const key = `${String(order.id)}@${modified}`;
      if (given.has(key)) continue;
      given.add(key);
      documents.push(await orderDocument(order, client, ctx));
    }
    if (newest !== undefined) highWater = Math.max(highWater ?? newest, newest);
    const done = result.orders.length < MAX_PER_PAGE || (result.totalPages !== undefined && page >= result.totalPages);
    yield { documents, cursor: new Date(highWater ?? after).toISOString().replace('.000Z', 'Z'), done };
    if (done || newest === undefined || oldest === undefined) return;
    if (oldest === newest) {
      page += 1;
    } else {
      after = newest - 1000;
      page = 1;
    }
  }
}

function firstPollStart(options: WooPollingOptions): number {
  if (options.pollStartAt !== undefined) {
    const start = Date.parse(options.pollStartAt);
    if (!Number.isNaN(start)) return start;
  }
  return options.clock.now() - options.lookbackMinutes * 60_000;
}

function parseCursor(cursor: string): number {
  const at = Date.parse(cursor);
  if (Number.isNaN(at)) throw new CrossdockError('internal.defect', `WooCommerce poll cursor is not a timestamp: ${cursor}`);
  return at;
}

/** `modified_after` as WordPress date queries read it with `dates_are_gmt=true`: UTC, whole seconds, no zone. */
function wpUtc(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().slice(0, 19);
}
