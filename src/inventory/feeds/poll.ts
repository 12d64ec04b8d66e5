import { hash } from 'node:crypto';
import type { CallContext } from '../../connectors/capabilities.js';
import { isRetryable } from '../../errors/catalogue.js';
import { asCrossdockError, CrossdockError, toErrorRecord } from '../../errors/crossdock-error.js';
import { newId } from '../../lib/ids.js';
import type { PeriodicJob } from '../../worker/periodic-jobs.js';
import type { JobContext, JobHandler } from '../../worker/types.js';
import { decodeFeedBytes } from './csv-table.js';
import type { InventoryFeed } from './feeds.js';
import { FEED_MESSAGE_KIND, receiveFeedFile, type FeedReceiveDeps } from './receive.js';

export const INVENTORY_FEED_POLL_QUEUE = 'inventory.feed.poll';

export interface InventoryFeedPollDeps extends FeedReceiveDeps {
  /** Configured feeds by id (`buildInventoryFeeds`); those with a transport are polled. */
  readonly feeds: ReadonlyMap<string, InventoryFeed>;
}

/** One poll job per feed with a transport, every `pollIntervalSeconds`, across all processes. */
export function inventoryFeedPeriodicJobs(feeds: Iterable<InventoryFeed>): PeriodicJob[] {
  return [...feeds].filter((f) => f.pickUp).map((f) => ({
    name: `inventory-feed-poll:${f.id}`, queue: INVENTORY_FEED_POLL_QUEUE, payload: { feed: f.id }, intervalMs: f.pollIntervalSeconds * 1000,
    // While an operator pauses the feed, no poll is queued to wait for the resume.
    target: `feed:${f.id}`,
  }));
}

/**
 * One poll of a feed's inbound folder. Files are taken in name order — 3PLs stamp the date and
 * time in the name, so a later snapshot is applied after an earlier one. Each file is read,
 * handed to the inventory intake (or refused and journaled), and only then moved: to `processed`,
 * or to `rejected` for a person. A crash between the two leaves the file to be read again at the
 * next poll, where its hash makes it a duplicate that is simply moved.
 *
 * A transient failure (the server, the store) ends the poll: the file stays where it is and the
 * next interval's job starts again from it, still in name order. A file the intake refuses for
 * good is journaled as rejected and moved aside, so it cannot block the files after it.
 */
export function inventoryFeedPollHandler(deps: InventoryFeedPollDeps): JobHandler {
  return {
    queue: INVENTORY_FEED_POLL_QUEUE,
    async run(job, jobCtx: JobContext) {
      const id = (job.payload as { feed?: unknown }).feed;
      const feed = typeof id === 'string' ? deps.feeds.get(id) : undefined;
      if (!feed) throw new CrossdockError('channel.not-found', `inventory feed ${String(id)} is not configured in this process`);
      const transport = feed.pickUp;
      if (!transport) return 'done';
      const ctx: CallContext = { correlationId: job.correlationId, signal: jobCtx.signal };
      const files = (await transport.list(ctx)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const file of files) {
        if (jobCtx.signal.aborted) break;
        const bytes = await transport.read(file, ctx);
        const correlationId = newId('cor', deps.clock.now());
        const received = { via: transport.via, name: file.name, modifiedAt: file.modifiedAt, correlationId };
        let outcome: 'processed' | 'rejected';
        try {
          outcome = (await receiveFeedFile(deps, feed, bytes, received)).outcome === 'rejected' ? 'rejected' : 'processed';
        } catch (error) {
          const failure = asCrossdockError(error);
          if (isRetryable(failure.kind)) throw failure;
          await journalRefusal(deps, feed, bytes, received, failure);
          outcome = 'rejected';
        }
        await transport.markProcessed(file, outcome, ctx);
      }
      return 'done';
    },
  };
}

/** A file the intake refused (not its CSV: the batch itself), journaled once with the reason. */
async function journalRefusal(deps: FeedReceiveDeps, feed: InventoryFeed, bytes: Buffer, file: { name: string; correlationId: string }, error: CrossdockError): Promise<void> {
  const now = deps.clock.now();
  await deps.store.recordInbound({
    messageId: newId('msg', now), correlationId: file.correlationId, source: `feed:${feed.id}`, kind: FEED_MESSAGE_KIND, channelRef: file.name,
    raw: decodeFeedBytes(bytes).text, status: 'rejected', error: toErrorRecord(error), idempotencyKey: `feed-rejected:${feed.id}:${hash('sha256', bytes, 'hex')}`, now,
  });
  deps.metrics?.inventoryFeedFiles.inc({ feed: feed.id, outcome: 'rejected' });
}
