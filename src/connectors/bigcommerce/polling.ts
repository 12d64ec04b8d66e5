import type { ChannelOrderDocument, PollingSource, PollPage } from '../../channels/types.js';
import type { Clock } from '../../lib/clock.js';
import type { CallContext } from '../capabilities.js';
import type { BigCommerceClient } from './client.js';
import type { ResolvedSettings } from './settings.js';
import { integer, isoDate, type Json, rfc2822 } from './values.js';
import { toChannelDocuments } from './webhook.js';

/**
 * Catch-up polling: `GET /v2/orders?min_date_modified=…&sort=date_modified:asc`, then each
 * order's sub-resources. The cursor is the ISO 8601 `date_modified` of the newest order seen;
 * each poll starts `overlapSeconds` before it (an order saved during the last poll may carry an
 * earlier time), and crossdock recognises the documents it already has.
 *
 * Pages are walked by seeking, not by page number alone: after each page the next query starts
 * at the last `date_modified` seen. With plain page numbers, an order modified during the walk
 * moves to the end of the list and shifts every later order one place back, so one would be
 * skipped for good. Only when a whole page shares one second does the page number advance.
 */
export function bigCommercePolling(settings: ResolvedSettings, client: BigCommerceClient, clock: Clock): PollingSource {
  return {
    async *poll(cursor: string | undefined, ctx: CallContext): AsyncIterable<PollPage> {
      const stored = cursor === undefined ? undefined : Date.parse(cursor);
      const firstStart = settings.pollStartAt !== undefined ? Date.parse(settings.pollStartAt) : clock.now() - settings.pollLookbackMinutes * 60_000;
      const start = stored !== undefined && !Number.isNaN(stored) ? stored - settings.overlapSeconds * 1000 : firstStart;
      let newest = stored !== undefined && !Number.isNaN(stored) ? stored : start;
      let since = Math.floor(start / 1000) * 1000;
      let page = 1;
      const seen = new Set<string>();

      for (;;) {
        const orders = await client.listOrders(rfc2822(since), page, ctx);
        const fresh = orders.filter((order) => !seen.has(versionKey(order)));
        const documents: ChannelOrderDocument[] = [];
        for (const order of fresh) {
          seen.add(versionKey(order));
          documents.push(...toChannelDocuments([await client.completeOrder(order, ctx)]));
        }
        const modified = orders.map((o) => modifiedAt(o)).filter((ms): ms is number => ms !== undefined);
        const last = modified.length > 0 ? Math.max(...modified) : undefined;
        if (last !== undefined) newest = Math.max(newest, last);
        const done = orders.length < settings.pageSize;
        yield { documents, cursor: new Date(newest).toISOString(), done };
        if (done) return;
        if (last !== undefined && last > since) {
          since = last;
          page = 1;
        } else {
          page += 1;
        }
      }
    },
  };
}

function modifiedAt(order: Json): number | undefined {
  const iso = isoDate(order.date_modified);
  return iso === undefined ? undefined : Date.parse(iso);
}

function versionKey(order: Json): string {
  return `${integer(order.id) ?? '?'}@${String(order.date_modified)}`;
}
