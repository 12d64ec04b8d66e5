import type { CallContext } from '../capabilities.js';
import type { ChannelOrderDocument, PollingSource, PollPage } from '../../channels/types.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../observability/logger.js';
import type { AdobeCommerceClient } from './client.js';
import { id, text, type Json } from './document.js';
import { identifyAdobeCommerceOrder } from './mapping.js';
import { isoFromMagento, isoSeconds, magentoTime } from './time.js';

/**
 * The cursor is `<updated_at as ISO 8601 UTC>|<entity_id>` of the last order of the last
 * completed page, e.g. `2024-05-01T10:15:24Z|1001` (entity_id 0 when no order was seen yet).
 * The next poll asks for `updated_at >= cursor − overlapSeconds`: orders saved with an earlier
 * time while a poll ran are caught, and orders read twice are recognised by crossdock.
 */
export interface PollCursor {
  updatedAtMs: number;
  entityId: number;
}

export function encodeCursor(cursor: PollCursor): string {
  return `${isoSeconds(cursor.updatedAtMs)}|${cursor.entityId}`;
}

export function decodeCursor(value: string): PollCursor | undefined {
  const match = /^([^|]+)\|(\d+)$/.exec(value.trim());
  const updatedAtMs = match ? Date.parse(match[1]!) : Number.NaN;
  return match && !Number.isNaN(updatedAtMs) ? { updatedAtMs, entityId: Number(match[2]) } : undefined;
}

export interface PollingOptions {
  client: AdobeCommerceClient;
  clock: Clock;
  logger: Logger;
  pageSize: number;
  overlapSeconds: number;
  pollStartAt: string | undefined;
}

/** Where an order sits in the `updated_at ASC, entity_id ASC` order of the listing. */
interface Position {
  updatedAt: string;
  entityId: number;
}

const FIRST_POLL_LOOKBACK_MS = 60 * 60 * 1000;

/**
 * Polls `GET /V1/orders` by `updated_at`. Pages are walked by key, not by offset: after a full
 * page the next request starts at the last order's `updated_at` (page 1 again) and skips what
 * this poll already returned, so an order saved meanwhile (which moves to the end of the
 * listing) cannot shift an unread order onto a page already read. Only when a whole page
 * shares one `updated_at` does it step to the next page of that second. Magento answers a
 * `currentPage` past the end with the LAST page again, so the end is decided by `total_count`.
 */
export function createAdobeCommercePolling(options: PollingOptions): PollingSource {
  const { client, pageSize } = options;
  return {
    async *poll(cursor: string | undefined, ctx: CallContext): AsyncIterable<PollPage> {
      const startMs = startOf(cursor, options);
      let stored = cursor !== undefined && decodeCursor(cursor) ? cursor : encodeCursor({ updatedAtMs: startMs, entityId: 0 });
      let from = magentoTime(startMs);
      let page = 1;
      let last: Position | undefined;
      for (;;) {
        const { items, totalCount } = await client.listOrders({ from, pageSize, currentPage: page }, ctx);
        const pastTheEnd = (page - 1) * pageSize >= totalCount;
        const rows = pastTheEnd ? [] : items;
        const fresh = rows.filter((row) => isAfter(positionOf(row), last));
        const documents: ChannelOrderDocument[] = [];
        for (const row of fresh) {
          const identity = identifyAdobeCommerceOrder(row);
          if (identity === undefined) {
            options.logger.warn({ entityId: row.entity_id }, 'adobe-commerce: skipped an order without entity_id or updated_at');
            continue;
          }
          documents.push({ ...identity, document: row });
        }
        const tail = fresh.at(-1);
        if (tail !== undefined) {
          last = positionOf(tail);
          const updatedAtMs = Date.parse(isoFromMagento(last.updatedAt) ?? '');
          if (!Number.isNaN(updatedAtMs)) stored = encodeCursor({ updatedAtMs, entityId: last.entityId });
        }
        const done = pastTheEnd || rows.length < pageSize || page * pageSize >= totalCount;
        yield { documents, cursor: stored, done };
        if (done) return;
        const pageEnd = text(rows.at(-1)?.updated_at);
        if (pageEnd !== undefined && pageEnd !== from) {
          // Page 1 of the new second begins with this page's rows of that second (same sort):
          // when the whole page is that second, they fill page 1, so go straight to page 2.
          page = rows.every((row) => text(row.updated_at) === pageEnd) ? 2 : 1;
          from = pageEnd;
        } else {
          page += 1;
        }
      }
    },
  };
}

function startOf(cursor: string | undefined, options: PollingOptions): number {
  const decoded = cursor === undefined ? undefined : decodeCursor(cursor);
  if (decoded !== undefined) return decoded.updatedAtMs - options.overlapSeconds * 1000;
  const configured = options.pollStartAt === undefined ? Number.NaN : Date.parse(options.pollStartAt);
  return Number.isNaN(configured) ? options.clock.now() - FIRST_POLL_LOOKBACK_MS : configured;
}

function positionOf(row: Json): Position {
  return { updatedAt: text(row.updated_at) ?? '', entityId: Number(id(row.entity_id) ?? 0) };
}

/** Magento times (`YYYY-MM-DD HH:MM:SS`) sort as text. */
function isAfter(position: Position, last: Position | undefined): boolean {
  if (last === undefined) return true;
  if (position.updatedAt !== last.updatedAt) return position.updatedAt > last.updatedAt;
  return position.entityId > last.entityId;
}
