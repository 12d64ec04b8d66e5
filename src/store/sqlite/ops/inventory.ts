import type Database from 'better-sqlite3';
import { levelFromRow, reservationFromRow, type LevelRow, type PendingInventoryBatch, type ReservationRow, type StoredLevel, type StoredReservation } from '../../inventory-types.js';
import type { NewMessageEvent } from '../../types.js';
import { sql } from '../statements.js';
import { appendEvent } from './journal.js';


/** See `Store.saveInventoryLevels`. */
export function saveInventoryLevels(db: Database.Database, levels: readonly StoredLevel[], appliedMessageIds: readonly string[], now: number): void {
  const upsert = sql(db, `INSERT INTO inventory_levels (sku, location, on_hand, allocated, in_transit, expected_at, as_of, source, updated_at)
                          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                          ON CONFLICT (sku, location) DO UPDATE SET on_hand = excluded.on_hand, allocated = excluded.allocated,
                            in_transit = excluded.in_transit, expected_at = excluded.expected_at, as_of = excluded.as_of,
                            source = excluded.source, updated_at = excluded.updated_at`);
  for (const l of levels) {
    upsert.run(l.sku, l.location, l.onHand, l.allocated, l.inTransit, l.expectedAt === null ? null : String(l.expectedAt), l.asOf, l.source, now);
  }
  const delivered = sql(db, "UPDATE messages SET status = 'delivered', updated_at = ? WHERE id = ?");
  for (const id of appliedMessageIds) delivered.run(now, id);
}

/** See `Store.loadInventoryLevels`. */
export function loadInventoryLevels(db: Database.Database, after: { sku: string; location: string } | undefined, limit: number): StoredLevel[] {
  const rows = (after
    ? sql(db, `SELECT sku, location, on_hand, allocated, in_transit, expected_at, as_of, source FROM inventory_levels
               WHERE (sku, location) > (?, ?) ORDER BY sku, location LIMIT ?`).all(after.sku, after.location, limit)
    : sql(db, `SELECT sku, location, on_hand, allocated, in_transit, expected_at, as_of, source FROM inventory_levels
               ORDER BY sku, location LIMIT ?`).all(limit)) as LevelRow[];
  return rows.map(levelFromRow);
}

/** See `Store.pendingInventoryBatches`. */
export function pendingInventoryBatches(db: Database.Database): PendingInventoryBatch[] {
  const rows = sql(db, `SELECT id, canonical FROM messages WHERE status = 'accepted' AND kind LIKE 'inventory%'
                        ORDER BY received_at, id`).all() as { id: string; canonical: string | null }[];
  return rows.map((r) => ({ messageId: r.id, canonical: r.canonical === null ? null : JSON.parse(r.canonical) }));
}


/** See `Store.replaceReservations`. */
export function replaceReservations(db: Database.Database, orderId: string, reservations: readonly StoredReservation[], event?: NewMessageEvent): void {
  if (event) appendEvent(db, event);
  sql(db, 'DELETE FROM inventory_reservations WHERE order_id = ?').run(orderId);
  const insert = sql(db, `INSERT INTO inventory_reservations (order_id, line, sku, location, quantity, channel, posted_at, expires_at, created_at)
                          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  for (const r of reservations) insert.run(orderId, r.line, r.sku, r.location, r.quantity, r.channel, r.postedAt, r.expiresAt, r.createdAt);
}

/** See `Store.markReservationsPosted`. */
export function markReservationsPosted(db: Database.Database, orderId: string, at: number): void {
  sql(db, 'UPDATE inventory_reservations SET posted_at = ? WHERE order_id = ? AND posted_at IS NULL').run(at, orderId);
}

/** See `Store.deleteReservations`. */
export function deleteReservations(db: Database.Database, orderIds: readonly string[]): void {
  const remove = sql(db, 'DELETE FROM inventory_reservations WHERE order_id = ?');
  for (const id of orderIds) remove.run(id);
}

/** See `Store.loadReservations`. */
export function loadReservations(db: Database.Database): StoredReservation[] {
  const rows = sql(db, 'SELECT * FROM inventory_reservations ORDER BY created_at, order_id, line').all() as ReservationRow[];
  return rows.map(reservationFromRow);
}

/** See `Store.savePublishedAvailability`. */
export function savePublishedAvailability(db: Database.Database, channel: string, entries: readonly { sku: string; available: number }[], now: number): void {
  const upsert = sql(db, `INSERT INTO availability_published (channel, sku, available, updated_at) VALUES (?, ?, ?, ?)
                          ON CONFLICT (channel, sku) DO UPDATE SET available = excluded.available, updated_at = excluded.updated_at`);
  for (const e of entries) upsert.run(channel, e.sku, e.available, now);
}

/** See `Store.loadPublishedAvailability`. */
export function loadPublishedAvailability(db: Database.Database, channel: string): { sku: string; available: number }[] {
  return sql(db, 'SELECT sku, available FROM availability_published WHERE channel = ?').all(channel) as { sku: string; available: number }[];
}
