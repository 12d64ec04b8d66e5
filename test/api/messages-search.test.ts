import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app/build-app.js';
import type { OrderSubmission } from '../../src/canonical/order.js';
import { resolveConfig } from '../../src/config/config.js';
import { orderAcceptance } from '../../src/intake/order-intake.js';
import { sqliteMigrations } from '../../src/store/migrations/sqlite.js';
import { searchStatement } from '../../src/store/sqlite/ops/journal.js';
import type { MessageQuery } from '../../src/store/types.js';
import { makeTestApp, sampleOrder, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(async () => {
  await t.dispose();
});

function post(body: unknown) {
  return t.app.http.inject({ method: 'POST', url: '/v1/orders', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });
}

async function search(query: string): Promise<{ items: Record<string, unknown>[]; nextCursor: string | null }> {
  const res = await t.app.http.inject({ method: 'GET', url: `/v1/messages?${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

const line = (sku: string) => ({ sku, quantity: 1, uom: 'EA', unitPrice: '3.00' });

describe('GET /v1/messages by SKU and customer', () => {
  it('finds orders from POST /v1/orders by SKU and by customer, and lists what the console shows', async () => {
    const a = (await post(sampleOrder({ channelOrderId: 'S-1', orderNumber: 'SO-S-1', customer: { accountId: 'C-S1' }, lines: [line('SKU-SA'), line('SKU-SB')] }))).json();
    await post(sampleOrder({ channelOrderId: 'S-2', customer: { accountId: 'C-S2' }, lines: [line('SKU-SB')] }));

    const bySku = await search('sku=SKU-SA');
    expect(bySku.items).toHaveLength(1);
    expect(bySku.items[0]).toMatchObject({
      subjectId: a.orderId, orderNumber: 'SO-S-1', channelOrderId: 'S-1', channelRef: 'S-1', customer: 'C-S1',
      channel: 'b2b-portal', source: 'b2b-portal', status: 'accepted', kind: 'order',
    });
    expect(bySku.items[0]!['receivedAt']).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect((await search('sku=SKU-SB')).items.map((m) => m['channelOrderId'])).toEqual(['S-2', 'S-1']);
    expect((await search('customer=C-S2')).items.map((m) => m['channelOrderId'])).toEqual(['S-2']);
    expect((await search('customer=C-S2&sku=SKU-SA')).items).toEqual([]);
    expect((await search('sku=SKU-S')).items).toEqual([]);
  });

  it('trims whitespace around search terms and keeps them exact', async () => {
    await post(sampleOrder({ channelOrderId: 'T-1', orderNumber: 'SO-T-1', customer: { accountId: 'C-T1' }, lines: [line('SKU-T')] }));
    expect((await search('q=%20SO-T-1%20')).items.map((m) => m['channelOrderId'])).toEqual(['T-1']);
    expect((await search('sku=%09SKU-T%20')).items.map((m) => m['channelOrderId'])).toEqual(['T-1']);
    expect((await search('customer=%20C-T1')).items.map((m) => m['channelOrderId'])).toEqual(['T-1']);
    expect((await search('q=so-t-1')).items).toEqual([]);
  });

  it('finds a channel order by the channel\'s own SKU as well as crossdock\'s', async () => {
    const submission = sampleOrder({
      channel: 'shop-eu', channelOrderId: 'CH-1', customer: { accountId: 'C-CH' },
      lines: [{ ...line('SKU-CH'), channelSku: 'gid://shop/Variant/77' }],
    }) as unknown as OrderSubmission;
    const now = Date.now();
    // What channel document intake hands the store (src/channels/document-intake.ts).
    const input = orderAcceptance({ maxAttempts: 3 }, { submission, raw: JSON.stringify({ id: 'CH-1' }), correlationId: 'cor-ch-1', now });
    expect((await t.app.store.acceptOrderVersion({ ...input, channelUpdatedAt: '2026-11-22T10:00:00Z' })).outcome).toBe('accepted');

    for (const query of ['sku=SKU-CH', `sku=${encodeURIComponent('gid://shop/Variant/77')}`, 'customer=C-CH', 'channel=shop-eu']) {
      expect((await search(query)).items.map((m) => m['id']), query).toEqual([input.messageId]);
    }
  });

  it('pages through 250 orders with limit 50, each once and newest first, while new orders arrive', async () => {
    for (let i = 0; i < 250; i++) {
      expect((await post(sampleOrder({ channelOrderId: `P-${i}`, customer: { accountId: 'C-PAGE' }, lines: [line('SKU-PAGE')] }))).statusCode).toBe(202);
    }
    for (const filter of ['customer=C-PAGE', 'sku=SKU-PAGE', 'channel=b2b-portal']) {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await search(`${filter}&limit=50${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...page.items.map((m) => String(m['channelOrderId'])));
        cursor = page.nextCursor;
        pages++;
        await post(sampleOrder({ channelOrderId: `P-late-${filter}-${pages}`, customer: { accountId: 'C-PAGE' }, lines: [line('SKU-PAGE')] }));
      } while (cursor);
      const mine = seen.filter((id) => /^P-\d+$/.test(id));
      expect(mine, filter).toEqual(Array.from({ length: 250 }, (_, i) => `P-${249 - i}`));
      expect(new Set(seen).size, filter).toBe(seen.length);
      expect(seen.some((id) => id.startsWith(`P-late-${filter}`)), filter).toBe(false);
    }
  });

  it('refuses a cursor it did not hand out with 422 naming it', async () => {
    const res = await t.app.http.inject({ method: 'GET', url: '/v1/messages?cursor=bm90LWEtY3Vyc29y' });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([{ pointer: '/query/cursor', detail: 'pass the nextCursor of the previous page unchanged' }]);
  });
});

describe('journal search query plans (SQLite)', () => {
  const cursor = Buffer.from(JSON.stringify([1_714_557_600_000, 'msg_X'])).toString('base64url');
  const window = { from: 1_714_000_000_000, to: 1_715_000_000_000 };
  const shapes: [string, Omit<MessageQuery, 'limit'>, RegExp][] = [
    ['newest first', {}, /messages_received/],
    ['status', { status: 'held' }, /messages_status/],
    ['channel', { channel: 'b2b-portal' }, /messages_source/],
    ['time window', window, /messages_received/],
    ['status + channel + time', { status: 'held', channel: 'b2b-portal', ...window }, /messages_(status|source)/],
    ['sku', { sku: 'SKU-1' }, /SEARCH k USING PRIMARY KEY \(key=\?/],
    ['customer + status + time', { customer: 'C-1', status: 'held', ...window }, /SEARCH k USING PRIMARY KEY \(key=\?/],
    ['sku + customer + channel', { sku: 'SKU-1', customer: 'C-1', channel: 'b2b-portal' }, /SEARCH k USING PRIMARY KEY \(key=\?/],
  ];

  for (const [name, query, index] of shapes) {
    it(`reads "${name}" from one index range in order, also on a later page`, () => {
      const db = new Database(join(t.dataDir, 'crossdock.db'), { readonly: true });
      try {
        for (const q of [{ ...query, limit: 50 }, { ...query, limit: 50, cursor }]) {
          const { text, args } = searchStatement(q);
          const plan = (db.prepare(`EXPLAIN QUERY PLAN ${text}`).all(...args) as { detail: string }[]).map((r) => r.detail).join('\n');
          expect(plan, plan).toMatch(index);
          expect(plan, plan).not.toMatch(/TEMP B-TREE/);
          expect(plan, plan).not.toMatch(/^SCAN m$/m);
        }
      } finally {
        db.close();
      }
    });
  }

  it('looks a text search up in the exact-match indexes, whatever else is filtered', () => {
    const db = new Database(join(t.dataDir, 'crossdock.db'), { readonly: true });
    try {
      const { text, args } = searchStatement({ text: 'SO-1', status: 'delivered', channel: 'b2b-portal', ...window, limit: 50, cursor });
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${text}`).all(...args) as { detail: string }[]).map((r) => r.detail).join('\n');
      expect(plan, plan).toMatch(/MULTI-INDEX OR/);
      expect(plan, plan).not.toMatch(/messages_(status|source|received)/);
    } finally {
      db.close();
    }
  });
});

describe('a journal from before search keys', () => {
  it('is indexed by SKU and customer when crossdock upgrades it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'crossdock-upgrade-'));
    try {
      const db = new Database(join(dataDir, 'crossdock.db'));
      db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
      for (const m of sqliteMigrations.filter((m) => m.version < 5)) {
        db.exec(m.sql);
        db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, 0);
      }
      const canonical = { id: 'ord_OLD', customer: { accountId: 'C-OLD' }, lines: [line('SKU-OLD'), { ...line('SKU-OLD2'), channelSku: 'v-old' }, line('SKU-OLD')] };
      db.prepare(`INSERT INTO messages (id, correlation_id, direction, source, kind, subject_id, channel_ref, status, raw, canonical, received_at, updated_at)
                  VALUES ('msg_OLD', 'cor-old', 'inbound', 'b2b-portal', 'order', 'ord_OLD', 'OLD-1', 'delivered', '{}', ?, 1, 1)`).run(JSON.stringify(canonical));
      db.prepare(`INSERT INTO messages (id, correlation_id, direction, source, kind, status, raw, canonical, received_at, updated_at)
                  VALUES ('msg_SHIP', 'cor-ship', 'inbound', 'b2b-portal', 'shipment', 'delivered', '{}', ?, 2, 2)`).run(JSON.stringify(canonical));
      db.close();

      const app = await buildApp(resolveConfig({ server: { port: 0 } }, { dataDir }, {}), { logger: false });
      try {
        for (const query of ['sku=SKU-OLD', 'sku=SKU-OLD2', 'sku=v-old', 'customer=C-OLD', 'customer=C-OLD&sku=SKU-OLD2&status=delivered']) {
          const res = await app.http.inject({ method: 'GET', url: `/v1/messages?${query}` });
          expect(res.json().items.map((m: { id: string }) => m.id), query).toEqual(['msg_OLD']);
        }
      } finally {
        await app.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
