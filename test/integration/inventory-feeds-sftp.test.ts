import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CrossdockError } from '../../src/errors/crossdock-error.js';
import { resolveInventoryFeeds, type InventoryFeedFile } from '../../src/inventory/feeds/config-schema.js';
import { buildInventoryFeeds, type InventoryFeed } from '../../src/inventory/feeds/feeds.js';
import { INVENTORY_FEED_POLL_QUEUE, inventoryFeedPeriodicJobs, inventoryFeedPollHandler } from '../../src/inventory/feeds/poll.js';
import type { IngestOrigin, InventoryBatch } from '../../src/inventory/model.js';
import { systemClock } from '../../src/lib/clock.js';
import { PolicyRegistry } from '../../src/protect/registry.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Job, Store } from '../../src/store/types.js';
import { RecordingIntake } from '../support/inventory-intake.js';
import { SFTP_TEST_FOLDERS, sftpServerUnavailable, startSftpServer, type TestSftpServer } from '../support/sftp-server.js';

// Real OpenSSH server (installed with apt when missing); skipped only when it cannot be installed.
const unavailable = await sftpServerUnavailable();
if (unavailable) console.warn(`inventory feed SFTP tests skipped: ${unavailable}`);

const fixture = (name: string) => readFileSync(new URL(`../../src/inventory/feeds/fixtures/${name}`, import.meta.url));
const FEED: Omit<InventoryFeedFile, 'transport'> = {
  id: 'fc-net',
  columns: { sku: 'SKU', location: 'Fulfillment Center', onHand: 'On Hand Qty', allocated: 'Committed Qty', inTransit: 'Incoming Qty' },
  skus: { 'WID-100': 'SKU-1' }, locations: { 'Cicero (IL)': 'CHI-3PL', 'Moreno Valley (CA)': 'ONT-3PL' },
  pollIntervalSeconds: 60,
};
const SMALL = (onHand: number) => `SKU,Fulfillment Center,On Hand Qty,Committed Qty,Incoming Qty\nWID-100,Cicero (IL),${onHand},0,0\n`;

let store: Store;
let dataDir: string;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'crossdock-feeds-poll-'));
  store = await openSqliteStore({ file: join(dataDir, 'crossdock.db') });
});
afterAll(async () => {
  await store?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function feedsWith(transport: Record<string, unknown>): Map<string, InventoryFeed> {
  const problems: string[] = [];
  const settings = resolveInventoryFeeds([{ ...FEED, transport }], {}, problems);
  expect(problems).toEqual([]);
  return buildInventoryFeeds(settings, new PolicyRegistry({ 'feed:fc-net': { ratePerSecond: 1000 } }, { budget: store, clock: systemClock }));
}

let jobs = 0;
function pollJob(): Job {
  const now = Date.now();
  return {
    id: `job-${++jobs}`, queue: INVENTORY_FEED_POLL_QUEUE, payload: { feed: 'fc-net' }, correlationId: `poll-${jobs}`, status: 'running',
    attempts: 1, maxAttempts: 1, runAt: now, leaseOwner: 'test', leaseToken: 't', leaseExpiresAt: now + 60_000, lastError: null, createdAt: now, updatedAt: now,
  };
}
const poll = (handler: ReturnType<typeof inventoryFeedPollHandler>) => handler.run(pollJob(), { workerId: 'test', signal: new AbortController().signal });
const sha = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

describe.skipIf(unavailable !== undefined)('inventory feed pick-up over SFTP (OpenSSH)', { timeout: 60_000 }, () => {
  let server: TestSftpServer;
  let feeds: Map<string, InventoryFeed>;
  let intake: RecordingIntake;
  let handler: ReturnType<typeof inventoryFeedPollHandler>;
  const folder = (name: string) => readdirSync(join(server.root, name));
  const drop = (name: string, content: Buffer | string, modifiedAt?: Date) => {
    const path = join(server.root, 'inbound', name);
    writeFileSync(path, content);
    if (modifiedAt) utimesSync(path, modifiedAt, modifiedAt);
  };

  beforeAll(async () => {
    server = await startSftpServer();
  }, 300_000);
  afterAll(async () => {
    await server?.stop();
  });
  beforeEach(() => {
    // Outbound is left out: a feed only picks files up.
    feeds = feedsWith({
      type: 'sftp', host: server.host, port: server.port, username: server.username, privateKey: server.privateKey, hostKey: server.hostKeyFingerprint,
      folders: { inbound: join(server.root, 'inbound'), processed: join(server.root, 'processed'), rejected: join(server.root, 'rejected') },
      settleMs: 0, idleCloseMs: 20,
    });
    intake = new RecordingIntake(store, systemClock);
    handler = inventoryFeedPollHandler({ store, clock: systemClock, intake, feeds });
  });
  afterEach(async () => {
    for (const feed of feeds.values()) await feed.pickUp?.close();
    for (const name of SFTP_TEST_FOLDERS) for (const entry of readdirSync(join(server.root, name))) rmSync(join(server.root, name, entry), { force: true });
  });

  it('ingests a dropped file once, dated by its modification time, archives it, and a second poll ingests nothing', async () => {
    const content = fixture('fc-inventory-by-location.csv');
    drop('inventory_20261126T0600.csv', content, new Date('2026-11-26T06:00:07Z'));

    expect(await poll(handler)).toBe('done');
    expect(intake.calls).toHaveLength(1);
    const [{ batch, origin, result }] = intake.calls as [(typeof intake.calls)[number]];
    expect(origin.idempotencyKey).toBe(`feed:fc-net:${sha(content)}`);
    expect(origin.raw).toBe(content.toString('utf8'));
    expect(batch).toMatchObject({ source: 'feed:fc-net', mode: 'snapshot', sourceTimestamp: '2026-11-26T06:00:07.000Z', locations: ['CHI-3PL', 'ONT-3PL'] });
    expect(batch.changes).toHaveLength(4);
    expect(folder('inbound')).toEqual([]);
    expect(folder('processed')).toEqual(['inventory_20261126T0600.csv']);
    const events = await store.listEvents(result.messageId);
    expect(events.find((e) => e.step === 'feed.file')?.detail).toMatchObject({ via: 'sftp', name: 'inventory_20261126T0600.csv', modifiedAt: '2026-11-26T06:00:07.000Z' });

    expect(await poll(handler)).toBe('done');
    expect(intake.calls).toHaveLength(1);
  });

  it('recognises a file found again after it was applied (a crash before its move), and only moves it', async () => {
    drop('inventory_a.csv', SMALL(11));
    await poll(handler);
    drop('inventory_a.csv', SMALL(11));
    await poll(handler);
    expect(intake.calls.map((c) => c.result.outcome)).toEqual(['applied', 'duplicate']);
    expect(intake.calls[1]!.origin.idempotencyKey).toBe(intake.calls[0]!.origin.idempotencyKey);
    expect(folder('inbound')).toEqual([]);
    expect(folder('processed')).toHaveLength(2);
  });

  it('moves a bad file to rejected and journals it once with its raw text and the row and column of each problem', async () => {
    const bad = fixture('bad-rows.csv');
    drop('inventory_bad.csv', bad);
    await poll(handler);
    expect(intake.calls).toHaveLength(0);
    expect(folder('inbound')).toEqual([]);
    expect(folder('rejected')).toEqual(['inventory_bad.csv']);

    const page = await store.searchMessages({ channel: 'feed:fc-net', status: 'rejected', limit: 50 });
    const mine = page.items.filter((m) => m.channelRef === 'inventory_bad.csv');
    expect(mine).toHaveLength(1);
    const message = await store.getMessage(mine[0]!.id);
    expect(message?.raw).toBe(bad.toString('utf8'));
    const [rejected] = await store.listEvents(mine[0]!.id);
    expect(rejected?.error?.code).toBe('inventory.feed-invalid');
    expect(rejected?.error?.errors?.[1]).toEqual({ pointer: '/rows/4/On Hand Qty', detail: 'row 4, column "On Hand Qty": "twelve" is not a number' });

    await poll(handler);
    expect((await store.searchMessages({ channel: 'feed:fc-net', status: 'rejected', limit: 50 })).items.filter((m) => m.channelRef === 'inventory_bad.csv')).toHaveLength(1);
  });

  it('takes files in name order, so the later snapshot is applied last whatever the modification times say', async () => {
    drop('inventory_20261126T0700.csv', SMALL(7), new Date('2026-11-26T05:00:00Z'));
    drop('inventory_20261126T0500.csv', SMALL(5), new Date('2026-11-26T07:00:00Z'));
    await poll(handler);
    expect(intake.calls.map((c) => c.batch.changes[0]!.onHand)).toEqual([5, 7]);
    expect(folder('processed').sort()).toEqual(['inventory_20261126T0500.csv', 'inventory_20261126T0700.csv']);
  });
});

describe('inventory feed pick-up from a folder, when the intake fails', () => {
  let root: string;
  let feeds: Map<string, InventoryFeed>;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'crossdock-feed-folder-'));
    for (const name of ['inbound', 'processed', 'rejected']) mkdirSync(join(root, name));
    feeds = feedsWith({ type: 'directory', folders: { inbound: join(root, 'inbound'), processed: join(root, 'processed'), rejected: join(root, 'rejected') }, settleMs: 0 });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const folder = (name: string) => readdirSync(join(root, name));

  it('leaves the file in place for the next poll when the intake fails for a while', async () => {
    writeFileSync(join(root, 'inbound', 'inventory_a.csv'), SMALL(3));
    let down = true;
    const recording = new RecordingIntake(store, systemClock);
    const intake = {
      ingest: (batch: InventoryBatch, origin: IngestOrigin) =>
        down ? Promise.reject(new CrossdockError('target.unavailable', 'the inventory store is busy')) : recording.ingest(batch, origin),
    };
    const handler = inventoryFeedPollHandler({ store, clock: systemClock, intake, feeds });
    await expect(poll(handler)).rejects.toMatchObject({ code: 'target.unavailable' });
    expect(folder('inbound')).toEqual(['inventory_a.csv']);
    down = false;
    await poll(handler);
    expect(recording.applied()).toHaveLength(1);
    expect(folder('processed')).toEqual(['inventory_a.csv']);
  });

  it('moves aside a file the intake refuses for good, journaled as rejected, and goes on with the next', async () => {
    writeFileSync(join(root, 'inbound', 'inventory_1.csv'), SMALL(1));
    writeFileSync(join(root, 'inbound', 'inventory_2.csv'), SMALL(2));
    const recording = new RecordingIntake(store, systemClock);
    const intake = {
      ingest: (batch: InventoryBatch, origin: IngestOrigin) =>
        batch.changes[0]!.onHand === 1 ? Promise.reject(new CrossdockError('sku.unknown', 'SKU-1 is not an item of the ERP')) : recording.ingest(batch, origin),
    };
    await poll(inventoryFeedPollHandler({ store, clock: systemClock, intake, feeds }));
    expect(folder('rejected')).toEqual(['inventory_1.csv']);
    expect(folder('processed')).toEqual(['inventory_2.csv']);
    const refused = (await store.searchMessages({ channel: 'feed:fc-net', status: 'rejected', limit: 50 })).items.find((m) => m.channelRef === 'inventory_1.csv');
    expect((await store.listEvents(refused!.id))[0]?.error?.code).toBe('sku.unknown');
  });

  it('schedules one poll per feed with a transport, at its interval, none while the feed is paused', () => {
    expect(inventoryFeedPeriodicJobs(feeds.values())).toEqual([{ name: 'inventory-feed-poll:fc-net', queue: INVENTORY_FEED_POLL_QUEUE, payload: { feed: 'fc-net' }, intervalMs: 60_000, target: 'feed:fc-net' }]);
  });
});
