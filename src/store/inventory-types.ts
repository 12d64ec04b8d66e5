import type { NewMessageEvent } from './types.js';

/** One SKU at one location as stored: the inventory engine's durable copy. */
export interface StoredLevel {
  sku: string;
  location: string;
  onHand: number;
  allocated: number;
  inTransit: number;
  /** Epoch ms when the in-transit quantity is expected; null: not known. */
  expectedAt: number | null;
  /** Source time (epoch ms) of the last figure set absolutely; older updates are stale. */
  asOf: number;
  source: string;
}

/** Part of an order line held back for the order, at one location. */
export interface StoredReservation {
  orderId: string;
  /** Index of the order line. */
  line: number;
  /** The SKU held (a kit line holds its components). */
  sku: string;
  location: string;
  quantity: number;
  channel: string;
  /** When the order reached the ERP; the ERP's allocation then takes over. */
  postedAt: number | null;
  expiresAt: number;
  createdAt: number;
}

export interface PendingInventoryBatch {
  messageId: string;
  canonical: unknown;
}

/** The inventory engine's state (DESIGN.md flow 3). Journal and levels move together. */
export interface InventoryStore {
  /**
   * Writes the levels a batch left and marks its journal messages `delivered`, atomically: a
   * message still `accepted` after a crash is applied again at start-up (`pendingInventoryBatches`).
   */
  saveInventoryLevels(levels: readonly StoredLevel[], appliedMessageIds: readonly string[], now: number): Promise<void>;
  /** Levels in (sku, location) order after the given key, for loading at start-up in pages. */
  loadInventoryLevels(after: { sku: string; location: string } | undefined, limit: number): Promise<StoredLevel[]>;
  /** Inventory messages journaled but not yet applied, oldest first. */
  pendingInventoryBatches(): Promise<PendingInventoryBatch[]>;
  /** Replaces every reservation of the order with these (none: removes them), with an event on a message's timeline. */
  replaceReservations(orderId: string, reservations: readonly StoredReservation[], event?: NewMessageEvent): Promise<void>;
  /** Marks every reservation of the order as posted at `at`. */
  markReservationsPosted(orderId: string, at: number): Promise<void>;
  /** Removes the reservations of these orders. */
  deleteReservations(orderIds: readonly string[]): Promise<void>;
  loadReservations(): Promise<StoredReservation[]>;
  /** Remembers what was last published to a channel per SKU. */
  savePublishedAvailability(channel: string, entries: readonly { sku: string; available: number }[], now: number): Promise<void>;
  loadPublishedAvailability(channel: string): Promise<{ sku: string; available: number }[]>;
}

/** A reservation row as both stores read it. */
export interface ReservationRow {
  order_id: string;
  line: number;
  sku: string;
  location: string;
  quantity: number;
  channel: string;
  posted_at: number | null;
  expires_at: number;
  created_at: number;
}

export function reservationFromRow(r: ReservationRow): StoredReservation {
  return {
    orderId: r.order_id, line: r.line, sku: r.sku, location: r.location, quantity: r.quantity, channel: r.channel,
    postedAt: r.posted_at, expiresAt: r.expires_at, createdAt: r.created_at,
  };
}

/** A level row as both stores read it. */
export interface LevelRow {
  sku: string;
  location: string;
  on_hand: number;
  allocated: number;
  in_transit: number;
  expected_at: string | null;
  as_of: number;
  source: string;
}

export function levelFromRow(r: LevelRow): StoredLevel {
  return {
    sku: r.sku, location: r.location, onHand: r.on_hand, allocated: r.allocated, inTransit: r.in_transit,
    expectedAt: r.expected_at === null ? null : Number(r.expected_at), asOf: r.as_of, source: r.source,
  };
}
