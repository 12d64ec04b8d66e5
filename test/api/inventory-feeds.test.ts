import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHttpServer, type HttpServer } from '../../src/api/server.js';
import { resolveInventory } from '../../src/inventory/config-schema.js';
import { InventoryEngine } from '../../src/inventory/engine.js';
import { resolveInventoryFeeds, type InventoryFeedSettings } from '../../src/inventory/feeds/config-schema.js';
import { inventoryFeedRoutes } from '../../src/inventory/feeds/http.js';
import { systemClock } from '../../src/lib/clock.js';
import { Metrics } from '../../src/observability/metrics.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/types.js';
import { RecordingIntake } from '../support/inventory-intake.js';

const TOKEN = 'fc-net-upload-token-0123456789';
const fixture = (name: string) => readFileSync(new URL(`../../src/inventory/feeds/fixtures/${name}`, import.meta.url));
const GOOD = fixture('fc-inventory-by-location.csv');
const BAD = fixture('bad-rows.csv');

let dir: string;
let store: Store;
let app: HttpServer;
let metrics: Metrics;
let intake: RecordingIntake;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crossdock-feeds-api-'));
  store = await openSqliteStore({ file: join(dir, 'crossdock.db') });
  metrics = new Metrics(store, () => []);
  const problems: string[] = [];
  const feeds = resolveInventoryFeeds([
    {
      id: 'fc-net', httpToken: 'env:FC_NET_TOKEN',
      columns: { sku: 'SKU', location: 'Fulfillment Center', onHand: 'On Hand Qty', allocated: 'Committed Qty', inTransit: 'Incoming Qty' },
      skus: { 'WID-100': 'SKU-1' }, locations: { 'Cicero (IL)': 'CHI-3PL', 'Moreno Valley (CA)': 'ONT-3PL' },
    },
    { id: 'folder-only', transport: { type: 'directory', folders: { inbound: '/in', processed: '/done', rejected: '/bad' } } },
  ], { FC_NET_TOKEN: TOKEN }, problems);
  expect(problems).toEqual([]);
  app = await createHttpServer({ logger: false, bodyLimitBytes: 1_048_576 });
  intake = new RecordingIntake(store, systemClock);
  await inventoryFeedRoutes(app, { store, clock: systemClock, intake, metrics, feeds: new Map<string, InventoryFeedSettings>(feeds.map((f) => [f.id, f])) });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  intake.calls.length = 0;
});

function upload(body: Buffer | string, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }, feed = 'fc-net') {
  return app.inject({ method: 'POST', url: `/v1/inventory/feeds/${feed}`, headers: { 'content-type': 'text/csv', ...headers }, payload: body });
}

const feedFiles = async (outcome: string) => Number((await metrics.registry.getSingleMetric('crossdock_inventory_feed_files_total')?.get())?.values
  .find((v) => v.labels.feed === 'fc-net' && v.labels.outcome === outcome)?.value ?? 0);

describe('POST /v1/inventory/feeds/{feed}', () => {
  it('hands the file to the inventory intake as a snapshot batch keyed by the hash of its bytes, and answers 202 with its outcome', async () => {
    const res = await upload(GOOD);
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body).toMatchObject({ outcome: 'applied', changed: 4, stale: 0, warnings: [] });
    expect(body.location).toBe(`/v1/messages/${body.messageId}`);

    expect(intake.calls).toHaveLength(1);
    const [{ batch, origin }] = intake.calls as [(typeof intake.calls)[number]];
    expect(origin.idempotencyKey).toBe(`feed:fc-net:${createHash('sha256').update(GOOD).digest('hex')}`);
    expect(origin.raw).toBe(GOOD.toString('utf8'));
    expect(origin.kind).toBe('inventory-feed');
    expect(batch).toMatchObject({ source: 'feed:fc-net', mode: 'snapshot', locations: ['CHI-3PL', 'ONT-3PL'] });
    expect(batch.changes[0]).toEqual({ sku: 'SKU-1', location: 'CHI-3PL', onHand: 412, allocated: 37, inTransit: 120 });

    const events = await store.listEvents(body.messageId);
    expect(events.find((e) => e.step === 'feed.file')?.detail).toMatchObject({ feed: 'fc-net', via: 'http', rows: 4 });
  });

  it('applies the same file uploaded twice once: the intake sees the same key and answers duplicate', async () => {
    const body = Buffer.from('SKU,Fulfillment Center,On Hand Qty,Committed Qty,Incoming Qty\nWID-100,Cicero (IL),7,0,0\n');
    const before = await feedFiles('duplicate');
    const first = await upload(body);
    const again = await upload(body);
    expect(first.json().outcome).toBe('applied');
    expect(again.statusCode).toBe(202);
    expect(again.json()).toMatchObject({ outcome: 'duplicate', messageId: first.json().messageId, changed: 0 });
    expect(intake.calls.map((c) => c.origin.idempotencyKey)).toEqual([intake.calls[0]!.origin.idempotencyKey, intake.calls[0]!.origin.idempotencyKey]);
    expect(await feedFiles('duplicate')).toBe(before + 1);
    // One byte different is another file.
    const other = await upload(Buffer.concat([body, Buffer.from('\n')]));
    expect(other.json().outcome).toBe('applied');
  });

  it('refuses a bad file whole with 422 naming each row and column, and keeps it in the journal as rejected, once', async () => {
    const before = await feedFiles('rejected');
    const res = await upload(BAD);
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const problem = res.json();
    expect(problem.code).toBe('inventory.feed-invalid');
    expect(problem.errors.map((e: { pointer: string }) => e.pointer)).toEqual([
      '/rows/3/SKU', '/rows/4/On Hand Qty', '/rows/5/On Hand Qty', '/rows/6/Committed Qty', '/rows/7', '/rows/7/On Hand Qty',
    ]);
    expect(problem.errors[1].detail).toBe('row 4, column "On Hand Qty": "twelve" is not a number');
    expect(intake.calls).toHaveLength(0);

    const messageId = /kept in the journal as (msg_\S+)\./.exec(problem.detail)?.[1];
    expect(messageId).toBeDefined();
    const message = await store.getMessage(messageId!);
    expect(message).toMatchObject({ status: 'rejected', source: 'feed:fc-net', kind: 'inventory-feed', raw: BAD.toString('utf8') });
    const [rejected] = await store.listEvents(messageId!);
    expect(rejected?.error?.errors?.map((e) => e.pointer)).toContain('/rows/4/On Hand Qty');

    const again = await upload(BAD);
    expect(again.statusCode).toBe(422);
    expect(again.json().detail).toContain(messageId);
    const page = await store.searchMessages({ channel: 'feed:fc-net', status: 'rejected', limit: 50 });
    expect(page.items.filter((m) => m.id === messageId)).toHaveLength(1);
    expect(page.items).toHaveLength(1);
    expect(await feedFiles('rejected')).toBe(before + 2);
  });

  it('refuses an empty body with a clear problem', async () => {
    const res = await upload('');
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0]).toEqual({ pointer: '/rows/1', detail: expect.stringContaining('the file is empty') });
  });

  it('answers 401 without the bearer token or with a wrong one, and hands nothing on', async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer wrong-token-0123456789abcd' }, { authorization: TOKEN }];
    for (const headers of attempts) {
      const res = await upload(GOOD, headers);
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('inventory.feed-unauthorized');
    }
    expect(intake.calls).toHaveLength(0);
  });

  it('answers 404 for an unknown feed and for a feed that takes no HTTP uploads', async () => {
    for (const feed of ['nope', 'folder-only']) {
      const res = await upload(GOOD, { authorization: `Bearer ${TOKEN}` }, feed);
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('request.not-found');
    }
    expect(intake.calls).toHaveLength(0);
  });

  it('takes the file whatever the content type says, as 3PL scripts send it', async () => {
    const body = Buffer.from('SKU,Fulfillment Center,On Hand Qty,Committed Qty,Incoming Qty\nWID-100,Cicero (IL),3,1,0\n');
    const res = await upload(body, { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/octet-stream' });
    expect(res.statusCode).toBe(202);
    expect(intake.calls[0]?.batch.changes).toEqual([{ sku: 'SKU-1', location: 'CHI-3PL', onHand: 3, allocated: 1, inTransit: 0 }]);
  });
});

describe('POST /v1/inventory/feeds/{feed} into the inventory engine', () => {
  let engineDir: string;
  let engineStore: Store;
  let server: HttpServer;
  let engine: InventoryEngine;

  beforeAll(async () => {
    engineDir = mkdtempSync(join(tmpdir(), 'crossdock-feeds-engine-'));
    engineStore = await openSqliteStore({ file: join(engineDir, 'crossdock.db') });
    const problems: string[] = [];
    const settings = resolveInventory({
      feeds: [{
        id: 'fc-net', httpToken: TOKEN,
        columns: { sku: 'SKU', location: 'Fulfillment Center', onHand: 'On Hand Qty', allocated: 'Committed Qty', inTransit: 'Incoming Qty' },
        skus: { 'WID-100': 'SKU-1', 'WID-200': 'SKU-2' }, locations: { 'Cicero (IL)': 'CHI-3PL', 'Moreno Valley (CA)': 'ONT-3PL' },
      }],
    }, {}, problems);
    expect(problems).toEqual([]);
    engine = new InventoryEngine({ store: engineStore, clock: systemClock, settings });
    await engine.start();
    server = await createHttpServer({ logger: false, bodyLimitBytes: 1_048_576 });
    await inventoryFeedRoutes(server, { store: engineStore, clock: systemClock, intake: engine, feeds: new Map(settings.feeds.map((f) => [f.id, f])) });
    await server.ready();
  });
  afterAll(async () => {
    await server?.close();
    await engineStore?.close();
    rmSync(engineDir, { recursive: true, force: true });
  });

  const send = (body: string | Buffer) => server.inject({ method: 'POST', url: '/v1/inventory/feeds/fc-net', headers: { 'content-type': 'text/csv', authorization: `Bearer ${TOKEN}` }, payload: body });
  const onHand = (sku: string) => Object.fromEntries(engine.levels(sku).map((l) => [l.location, l.onHand]));

  it('sets the levels of a snapshot, zeroes what a later snapshot leaves out, and applies a repeated file once', async () => {
    const first = await send(GOOD);
    expect(first.statusCode).toBe(202);
    expect(first.json()).toMatchObject({ outcome: 'applied', changed: 4 });
    expect(onHand('SKU-1')).toEqual({ 'CHI-3PL': 412, 'ONT-3PL': 88 });

    // The next export no longer lists Moreno Valley: the snapshot covers it, so it is zero there.
    const later = 'SKU,Fulfillment Center,On Hand Qty,Committed Qty,Incoming Qty\nWID-100,Cicero (IL),400,30,120\nWID-200,Cicero (IL),5,0,235\n';
    expect((await send(later)).json()).toMatchObject({ outcome: 'applied' });
    expect(onHand('SKU-1')).toEqual({ 'CHI-3PL': 400, 'ONT-3PL': 0 });
    expect(onHand('GSK-34')).toEqual({ 'ONT-3PL': 0 });

    const again = await send(later);
    expect(again.json()).toMatchObject({ outcome: 'duplicate', changed: 0 });
    expect(onHand('SKU-1')).toEqual({ 'CHI-3PL': 400, 'ONT-3PL': 0 });
  });
});
