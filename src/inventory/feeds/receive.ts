import { hash } from 'node:crypto';
import { CrossdockError, toErrorRecord, type FieldProblem } from '../../errors/crossdock-error.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { Metrics } from '../../observability/metrics.js';
import type { Store } from '../../store/types.js';
import type { IngestResult, InventoryIntake } from '../model.js';
import type { InventoryFeedSettings } from './config-schema.js';
import { feedCsvToInventoryBatch, type FeedProblem } from './csv.js';
import { decodeFeedBytes } from './csv-table.js';

/** The journal kind of stock files, accepted or refused. */
export const FEED_MESSAGE_KIND = 'inventory-feed';
/** A refusal lists this many problems; a file wrong throughout would otherwise fill the journal. */
const MAX_LISTED_PROBLEMS = 200;

export interface FeedReceiveDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly intake: InventoryIntake;
  readonly metrics?: Metrics;
}

/** How one file reached crossdock. */
export interface ReceivedFile {
  readonly via: 'http' | 'sftp' | 'directory';
  /** The file's name in the 3PL's folder. */
  readonly name?: string;
  readonly modifiedAt?: Date;
  readonly correlationId: string;
}

export type FeedFileOutcome =
  | { outcome: 'applied' | 'duplicate'; result: IngestResult; warnings: string[] }
  /** Nothing applied; the file is journaled as rejected (once per content) under `messageId`. */
  | { outcome: 'rejected'; messageId: string; error: CrossdockError };

/**
 * One stock file, however it came: read into a batch and handed to the inventory intake, or
 * refused whole and journaled with the problems. The idempotency key is the feed and the hash of
 * the bytes, so the same file sent again — redelivered, re-uploaded after a lost answer, or
 * found again in the folder after a crash before its move — changes nothing.
 */
export async function receiveFeedFile(deps: FeedReceiveDeps, feed: InventoryFeedSettings, bytes: Buffer, file: ReceivedFile): Promise<FeedFileOutcome> {
  const now = deps.clock.now();
  const digest = hash('sha256', bytes, 'hex');
  const { text, warning } = decodeFeedBytes(bytes);
  const reading = feedCsvToInventoryBatch(text, feed, new Date(now).toISOString(), file.modifiedAt ? { modifiedAt: file.modifiedAt.toISOString() } : {});
  if (!reading.ok) {
    const error = feedInvalid(feed, file, reading.problems);
    const recorded = await deps.store.recordInbound({
      messageId: newId('msg', now), correlationId: file.correlationId, source: `feed:${feed.id}`, kind: FEED_MESSAGE_KIND,
      ...(file.name ? { channelRef: file.name } : {}),
      raw: text, status: 'rejected', error: toErrorRecord(error),
      // Its own key: the same content may be accepted later, once the feed's columns are fixed.
      idempotencyKey: `feed-rejected:${feed.id}:${digest}`,
      now,
    });
    deps.metrics?.inventoryFeedFiles.inc({ feed: feed.id, outcome: 'rejected' });
    return { outcome: 'rejected', messageId: recorded.messageId, error };
  }
  const warnings = warning ? [warning, ...reading.warnings] : reading.warnings;
  const result = await deps.intake.ingest(reading.batch, { correlationId: file.correlationId, raw: text, idempotencyKey: `feed:${feed.id}:${digest}`, kind: FEED_MESSAGE_KIND });
  if (result.outcome === 'applied') {
    await deps.store.appendEvent({
      messageId: result.messageId, at: deps.clock.now(), step: 'feed.file', outcome: 'info',
      detail: { feed: feed.id, via: file.via, ...(file.name ? { name: file.name } : {}), ...(file.modifiedAt ? { modifiedAt: file.modifiedAt.toISOString() } : {}), rows: reading.batch.changes.length, warnings },
    });
  }
  deps.metrics?.inventoryFeedFiles.inc({ feed: feed.id, outcome: result.outcome });
  return { outcome: result.outcome, result, warnings };
}

/** The refusal: every problem as a field problem whose pointer names the row and the file's column. */
function feedInvalid(feed: InventoryFeedSettings, file: ReceivedFile, problems: readonly FeedProblem[]): CrossdockError {
  const errors: FieldProblem[] = problems.slice(0, MAX_LISTED_PROBLEMS).map((p) => ({
    pointer: p.column === undefined ? `/rows/${p.row}` : `/rows/${p.row}/${escapePointer(p.column)}`,
    detail: `row ${p.row}${p.column === undefined ? '' : `, column "${p.column}"`}: ${p.message}`,
  }));
  if (problems.length > MAX_LISTED_PROBLEMS) errors.push({ pointer: '/rows', detail: `and ${problems.length - MAX_LISTED_PROBLEMS} more problems` });
  const what = file.name ? `${file.name} from feed ${feed.id}` : `the file for feed ${feed.id}`;
  const rows = new Set(problems.map((p) => p.row)).size;
  return new CrossdockError('inventory.feed-invalid', `${what} is refused, nothing from it applied: ${rows} row(s) with problems; first: ${errors[0]?.detail ?? 'unknown'}`, {
    errors, target: `feed:${feed.id}`, context: { feed: feed.id, via: file.via, ...(file.name ? { name: file.name } : {}) },
  });
}

/** RFC 6901: `~` and `/` in a column's name would otherwise read as pointer syntax. */
function escapePointer(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}
