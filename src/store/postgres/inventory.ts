import type pg from 'pg';
import { levelFromRow, reservationFromRow, type LevelRow, type PendingInventoryBatch, type ReservationRow, type StoredLevel, type StoredReservation } from '../inventory-types.js';
import type { NewMessageEvent } from '../types.js';
import { appendEvent } from './journal.js';
import { inTransaction, type Queryable } from './pool.js';

/** Rows per multi-row statement: well under PostgreSQL's 65,535 parameters. */
const CHUNK = 1000;

/** See `Store.saveInventoryLevels`. One statement per chunk: unnest of column arrays. */
export async function saveInventoryLevels(pool: pg.Pool, levels: readonly StoredLevel[], appliedMessageIds: readonly string[], now: number): Promise<void> {
  await inTransaction(pool, async (client) => {
    for (let i = 0; i < levels.length; i += CHUNK) {
      const chunk = levels.slice(i, i + CHUNK);
      await client.query(
        `INSERT INTO inventory_levels (sku, location, on_hand, allocated, in_transit, expected_at, as_of, source, updated_at)
         SELECT u.*, $9::int8 FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[], $5::float8[], $6::text[], $7::int8[], $8::text[])
           AS u(sku, location, on_hand, allocated, in_transit, expected_at, as_of, source)
         ON CONFLICT (sku, location) DO UPDATE SET on_hand = excluded.on_hand, allocated = excluded.allocated,
           in_transit = excluded.in_transit, expected_at = excluded.expected_at, as_of = excluded.as_of,
           source = excluded.source, updated_at = excluded.updated_at`,
        [
          chunk.map((l) => l.sku), chunk.map((l) => l.location), chunk.map((l) => l.onHand), chunk.map((l) => l.allocated),
          chunk.map((l) => l.inTransit), chunk.map((l) => (l.expectedAt === null ? null : String(l.expectedAt))), chunk.map((l) => l.asOf),
          chunk.map((l) => l.source), now,
        ],
      );
    }
    if (appliedMessageIds.length > 0) {
      await client.query("UPDATE messages SET status = 'delivered', updated_at = $2 WHERE id = ANY($1::text[])", [appliedMessageIds, now]);
    }
  });
}


/** See `Store.loadInventoryLevels`. */
export async function loadInventoryLevels(db: Queryable, after: { sku: string; location: string } | undefined, limit: number): Promise<StoredLevel[]> {
  const columns = 'sku, location, on_hand, allocated, in_transit, expected_at, as_of, source';
  const { rows } = after
    ? await db.query<LevelRow>(`SELECT ${columns} FROM inventory_levels WHERE (sku, location) > ($1, $2) ORDER BY sku, location LIMIT $3`, [after.sku, after.location, limit])
    : await db.query<LevelRow>(`SELECT ${columns} FROM inventory_levels ORDER BY sku, location LIMIT $1`, [limit]);
  return rows.map(levelFromRow);
}

/** See `Store.pendingInventoryBatches`. */
export async function pendingInventoryBatches(db: Queryable): Promise<PendingInventoryBatch[]> {
  const { rows } = await db.query<{ id: string; canonical: unknown }>(
    "SELECT id, canonical FROM messages WHERE status = 'accepted' AND kind LIKE 'inventory%' ORDER BY received_at, id",
  );
  return rows.map((r) => ({ messageId: r.id, canonical: r.canonical }));
}

/** See `Store.replaceReservations`. */
export async function replaceReservations(pool: pg.Pool, orderId: string, reservations: readonly StoredReservation[], event?: NewMessageEvent): Promise<void> {
  await inTransaction(pool, async (client) => {
    if (event) await appendEvent(client, event);
    await client.query('DELETE FROM inventory_reservations WHERE order_id = $1', [orderId]);
    if (reservations.length === 0) return;
    const r = reservations;
    await client.query(
      `INSERT INTO inventory_reservations (order_id, line, sku, location, quantity, channel, posted_at, expires_at, created_at)
       SELECT $1::text, u.* FROM unnest($2::int[], $3::text[], $4::text[], $5::float8[], $6::text[], $7::int8[], $8::int8[], $9::int8[])
         AS u(line, sku, location, quantity, channel, posted_at, expires_at, created_at)`,
      [orderId, r.map((x) => x.line), r.map((x) => x.sku), r.map((x) => x.location), r.map((x) => x.quantity), r.map((x) => x.channel),
        r.map((x) => x.postedAt), r.map((x) => x.expiresAt), r.map((x) => x.createdAt)],
    );
  });
}

/** See `Store.markReservationsPosted`. */
export async function markReservationsPosted(db: Queryable, orderId: string, at: number): Promise<void> {
  await db.query('UPDATE inventory_reservations SET posted_at = $2 WHERE order_id = $1 AND posted_at IS NULL', [orderId, at]);
}

/** See `Store.deleteReservations`. */
export async function deleteReservations(db: Queryable, orderIds: readonly string[]): Promise<void> {
  if (orderIds.length > 0) await db.query('DELETE FROM inventory_reservations WHERE order_id = ANY($1::text[])', [orderIds]);
}


/** See `Store.loadReservations`. */
export async function loadReservations(db: Queryable): Promise<StoredReservation[]> {
  const { rows } = await db.query<ReservationRow>('SELECT * FROM inventory_reservations ORDER BY created_at, order_id, line');
  return rows.map(reservationFromRow);
}

/** See `Store.savePublishedAvailability`. */
export async function savePublishedAvailability(db: Queryable, channel: string, entries: readonly { sku: string; available: number }[], now: number): Promise<void> {
  for (let i = 0; i < entries.length; i += CHUNK) {
    const chunk = entries.slice(i, i + CHUNK);
    await db.query(
      `INSERT INTO availability_published (channel, sku, available, updated_at)
       SELECT $1::text, u.sku, u.available, $4::int8 FROM unnest($2::text[], $3::int8[]) AS u(sku, available)
       ON CONFLICT (channel, sku) DO UPDATE SET available = excluded.available, updated_at = excluded.updated_at`,
      [channel, chunk.map((e) => e.sku), chunk.map((e) => e.available), now],
    );
  }
}

/** See `Store.loadPublishedAvailability`. */
export async function loadPublishedAvailability(db: Queryable, channel: string): Promise<{ sku: string; available: number }[]> {
  const { rows } = await db.query<{ sku: string; available: number }>('SELECT sku, available FROM availability_published WHERE channel = $1', [channel]);
  return rows;
}
