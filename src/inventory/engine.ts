import { CrossdockError } from '../errors/crossdock-error.js';
import type { Clock } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { StoredLevel, StoredReservation } from '../store/inventory-types.js';
import type { NewMessageEvent, Store } from '../store/types.js';
import { applyBatch, type LevelChangeRecord } from './apply-batch.js';
import { AvailabilityRules, type ChannelAvailability } from './atp.js';
import type { InventorySettings, OversellPolicy } from './config-schema.js';
import { LevelTable } from './level-table.js';
import type { IngestOrigin, IngestResult, InventoryBatch, InventoryIntake } from './model.js';
import { ReservationBook } from './reservations.js';
import { planReservation, type Shortage } from './reserve.js';
import { requirementsOf, stockUnits } from './units.js';

export interface InventoryEngineDeps {
  store: Store;
  clock: Clock;
  settings: InventorySettings;
  metrics?: Metrics;
  logger?: Logger;
  /**
   * Sources whose figures include their own allocations to the orders crossdock posted (the
   * ERP's stock feed). A posted order's reservation of a SKU ends when one of them reports that
   * SKU as of after the posting; with none, it ends at posting.
   */
  allocatingSources?: readonly string[];
  /**
   * The ERP's figures count an open order's stock until it ships (it allocates nothing; the
   * sandbox ERP): a posted order's reservation ends, line by line, as its shipments come in.
   */
  releaseAtShipment?: boolean;
}

export type ReserveOutcome =
  | { outcome: 'reserved'; reservations: StoredReservation[]; backordered: Shortage[]; untracked: string[]; existing: boolean }
  | { outcome: 'short'; policy: Exclude<OversellPolicy, 'backorder'>; shortages: Shortage[]; untracked: string[] };

/** Listeners learn which SKUs' availability may have changed, and since when. */
export type ChangeListener = (skus: ReadonlySet<string>, changedAt: number) => void;

interface Waiting {
  batch: InventoryBatch;
  origin: IngestOrigin;
  resolve: (r: IngestResult) => void;
  reject: (e: unknown) => void;
}

/** Rows per page when loading levels at start-up. */
const LOAD_PAGE = 50_000;
/** Journal events name at most this many changed levels; the count is always exact. */
const JOURNALED_CHANGES = 200;

/**
 * The inventory engine (DESIGN.md flow 3): every SKU-location's figures in memory, the
 * reservations of open orders, and availability per channel computed from both on demand.
 * Batches from every source go through `ingest`: journaled first (the write-ahead record), then
 * applied and their levels stored with the journal entry marked applied, so a crash in between
 * re-applies the batch at start-up and an accepted batch is never lost. Batches that arrive
 * while one is being written are applied together, in arrival order, in one write.
 */
export class InventoryEngine implements InventoryIntake {
  readonly table = new LevelTable();
  readonly rules: AvailabilityRules;
  private readonly book: ReservationBook;
  private readonly listeners: ChangeListener[] = [];
  private allocating: ReadonlySet<string>;
  private atShipment: boolean;
  private waiting: Waiting[] = [];
  private draining: Promise<void> | undefined;

  constructor(private readonly deps: InventoryEngineDeps) {
    this.rules = new AvailabilityRules(deps.settings);
    this.book = new ReservationBook(this.table);
    this.allocating = new Set(deps.allocatingSources ?? []);
    this.atShipment = deps.releaseAtShipment ?? false;
  }

  /**
   * How a posted order's reservations end, known once the ERP is connected: when an allocating
   * source reports the SKU after the posting, as the order ships, or (neither) at posting.
   */
  handOver(rule: { allocatingSources?: readonly string[]; atShipment?: boolean }): void {
    this.allocating = new Set(rule.allocatingSources ?? []);
    this.atShipment = rule.atShipment ?? false;
  }

  /** Loads levels and reservations, then applies batches journaled but not yet applied. */
  async start(): Promise<void> {
    let after: { sku: string; location: string } | undefined;
    for (;;) {
      const page = await this.deps.store.loadInventoryLevels(after, LOAD_PAGE);
      for (const l of page) this.load(l);
      if (page.length < LOAD_PAGE) break;
      const last = page[page.length - 1]!;
      after = { sku: last.sku, location: last.location };
    }
    const byOrder = new Map<string, StoredReservation[]>();
    for (const r of await this.deps.store.loadReservations()) byOrder.set(r.orderId, [...(byOrder.get(r.orderId) ?? []), r]);
    for (const [orderId, held] of byOrder) this.book.put(orderId, held);
    for (const pending of await this.deps.store.pendingInventoryBatches()) {
      const batch = pending.canonical as InventoryBatch | null;
      const valid = batch !== null && typeof batch === 'object' && Array.isArray(batch.changes) && typeof batch.mode === 'string';
      const applied = valid ? this.apply(batch) : undefined;
      await this.deps.store.saveInventoryLevels(applied ? this.stored(applied.touched, batch!.source) : [], [pending.messageId], this.deps.clock.now());
      this.deps.logger?.info({ messageId: pending.messageId, changed: applied?.changed.length ?? 0 }, 'inventory batch journaled before a stop applied at start-up');
    }
  }

  onChange(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  /** SKUs some source reports, and kits (as available as their components). */
  *skus(): IterableIterator<string> {
    yield* this.table.skus();
    yield* Object.keys(this.deps.settings.kits);
  }

  availability(sku: string, channel: string): ChannelAvailability {
    return this.rules.availability(this.table, sku, channel, this.deps.clock.now());
  }

  /** Every location's figures for a SKU. */
  levels(sku: string): (StoredLevel & { reserved: number })[] {
    return this.table.rowsOf(sku).map((i) => ({ ...this.storedLevel(i, ''), reserved: this.table.reserved[i]! }));
  }

  reservationsOf(orderId: string): readonly StoredReservation[] {
    return this.book.of(orderId) ?? [];
  }

  reservedOrders(): string[] {
    return this.book.orderIds();
  }

  ingest(batch: InventoryBatch, origin: IngestOrigin): Promise<IngestResult> {
    if (Number.isNaN(Date.parse(batch.sourceTimestamp))) {
      return Promise.reject(new CrossdockError('request.invalid', `sourceTimestamp ${batch.sourceTimestamp} is not an ISO 8601 time`, {
        errors: [{ pointer: '/sourceTimestamp', detail: 'an ISO 8601 time, e.g. 2026-11-26T10:00:00Z' }],
      }));
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({ batch, origin, resolve, reject });
      this.draining ??= this.drain();
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        const group = this.waiting;
        this.waiting = [];
        try {
          await this.applyGroup(group);
        } catch (error) {
          for (const w of group) w.reject(error);
        }
      }
    } finally {
      this.draining = undefined;
    }
  }

  private async applyGroup(group: Waiting[]): Promise<void> {
    const { store, clock, metrics } = this.deps;
    const now = clock.now();
    const recorded = await Promise.all(group.map(({ batch, origin }) => store.recordInbound({
      messageId: newId('msg', now), correlationId: origin.correlationId, source: batch.source, kind: origin.kind ?? 'inventory',
      sourceTimestamp: batch.sourceTimestamp, raw: origin.raw, canonical: batch, status: 'accepted', now,
      ...(origin.idempotencyKey ? { idempotencyKey: origin.idempotencyKey } : {}),
    })));
    const touched = new Map<number, string>();
    const applied: string[] = [];
    const changedSkus = new Set<string>();
    const results: IngestResult[] = [];
    const journal: { messageId: string; changed: LevelChangeRecord[]; stale: number }[] = [];
    group.forEach(({ batch }, n) => {
      const r = recorded[n]!;
      metrics?.inventoryBatches.inc({ source: batch.source, outcome: r.outcome === 'duplicate' ? 'duplicate' : 'applied' });
      if (r.outcome === 'duplicate') {
        results.push({ outcome: 'duplicate', messageId: r.messageId, changed: 0, stale: 0 });
        return;
      }
      const result = this.apply(batch);
      for (const i of result.touched) touched.set(i, batch.source);
      for (const c of result.changed) changedSkus.add(c.sku);
      applied.push(r.messageId);
      journal.push({ messageId: r.messageId, changed: result.changed, stale: result.stale.length });
      results.push({ outcome: 'applied', messageId: r.messageId, changed: result.changed.length, stale: result.stale.length });
      metrics?.inventoryLevelChanges.inc({ source: batch.source, outcome: 'changed' }, result.changed.length);
      if (result.stale.length > 0) metrics?.inventoryLevelChanges.inc({ source: batch.source, outcome: 'stale' }, result.stale.length);
    });
    const levels = [...touched].map(([i, source]) => this.storedLevel(i, source));
    await store.saveInventoryLevels(levels, applied, now);
    await Promise.all(journal.map((j) => store.appendEvent({
      messageId: j.messageId, at: now, step: 'inventory.applied', outcome: 'ok',
      detail: { changed: j.changed.length, stale: j.stale, levels: j.changed.slice(0, JOURNALED_CHANGES) },
    })));
    for (const released of await this.releaseAllocated(group, recorded)) changedSkus.add(released);
    if (changedSkus.size > 0) this.emit(changedSkus, now);
    group.forEach((w, n) => w.resolve(results[n]!));
  }

  /** Applies a batch to memory; the caller stores the touched levels. */
  private apply(batch: InventoryBatch) {
    return applyBatch(this.table, batch, (sku, uom, q) => stockUnits(this.deps.settings, sku, uom, q));
  }

  /** An allocating source's report ends the reservations of orders posted before it (see `allocatingSources`). */
  private async releaseAllocated(group: Waiting[], recorded: { outcome: string }[]): Promise<string[]> {
    const skus: string[] = [];
    for (const [n, { batch }] of group.entries()) {
      if (recorded[n]!.outcome === 'duplicate' || !this.allocating.has(batch.source)) continue;
      const reported = new Set(batch.changes.map((c) => c.sku));
      for (const r of this.book.releaseAllocated(reported, Date.parse(batch.sourceTimestamp))) {
        await this.deps.store.replaceReservations(r.orderId, r.remaining);
        skus.push(...r.released.map((x) => x.sku));
      }
    }
    return skus;
  }

  /**
   * Holds stock for an order's lines on `channel` (DESIGN.md flow 2, "reserve inventory").
   * Idempotent: an order that already holds stock keeps what it holds. Lines for more than
   * the channel may promise follow the channel's oversell policy: `backorder` holds them all the
   * same, `reject` and `hold` hold nothing and report the shortages.
   */
  async reserve(
    orderId: string, channel: string, lines: readonly { sku: string; quantity: number; uom?: string }[],
    /** Written with the reservations, in the same transaction (the order's timeline step). */
    event?: (outcome: Extract<ReserveOutcome, { outcome: 'reserved' }>) => NewMessageEvent,
  ): Promise<ReserveOutcome> {
    const existing = this.book.of(orderId);
    if (existing) return { outcome: 'reserved', reservations: [...existing], backordered: [], untracked: [], existing: true };
    const now = this.deps.clock.now();
    const rule = this.rules.rule(channel);
    const plan = planReservation(this.table, this.rules, requirementsOf(this.deps.settings, lines), channel, now, rule.oversell === 'backorder');
    if (plan.shortages.length > 0 && rule.oversell !== 'backorder') {
      this.deps.metrics?.reservations.inc({ channel, outcome: 'short' });
      return { outcome: 'short', policy: rule.oversell, shortages: plan.shortages, untracked: plan.untracked };
    }
    const reservations: StoredReservation[] = plan.reservations.map((r) => ({
      ...r, orderId, channel, postedAt: null, expiresAt: now + this.deps.settings.reservationMs, createdAt: now,
    }));
    // Only untracked SKUs: nothing to hold, nothing to write.
    if (reservations.length === 0) return { outcome: 'reserved', reservations, backordered: [], untracked: plan.untracked, existing: false };
    // Held in memory at once, so a concurrent order sees this stock as taken; let go again if
    // the store cannot keep it.
    const outcome = { outcome: 'reserved' as const, reservations, backordered: plan.shortages, untracked: plan.untracked, existing: false };
    this.book.put(orderId, reservations);
    try {
      await this.deps.store.replaceReservations(orderId, reservations, event?.(outcome));
    } catch (error) {
      this.book.remove(orderId);
      throw error;
    }
    this.deps.metrics?.reservations.inc({ channel, outcome: plan.shortages.length > 0 ? 'backordered' : 'reserved' });
    this.emit(new Set(reservations.map((r) => r.sku)), now);
    return outcome;
  }

  /** The order reached the ERP: its reservations end when the ERP's figures include it. */
  async markPosted(orderId: string, at: number): Promise<void> {
    const held = this.book.of(orderId);
    if (!held) return;
    if (this.allocating.size === 0 && !this.atShipment) {
      await this.release(orderId, 'posted');
      return;
    }
    // Stored only where it decides the handover (an allocating ERP's next report); reconciliation
    // marks posted orders again after a restart in any case.
    if (this.book.markPosted(orderId, at) && this.allocating.size > 0) await this.deps.store.markReservationsPosted(orderId, at);
  }

  /**
   * The order's shipments so far (all of them, so a shipment seen twice changes nothing): with an
   * ERP that counts open orders' stock until they ship, what shipped no longer needs holding.
   */
  async settleShipped(orderId: string, lines: readonly { sku: string; quantity: number; uom?: string }[], orderLines: readonly { sku: string; quantity: number; uom?: string }[]): Promise<void> {
    const held = this.book.of(orderId);
    if (!this.atShipment || !held) return;
    const shipped = new Map<string, number>();
    for (const r of requirementsOf(this.deps.settings, lines)) shipped.set(r.sku, (shipped.get(r.sku) ?? 0) + r.quantity);
    const ordered = new Map<string, number>();
    for (const r of requirementsOf(this.deps.settings, orderLines)) ordered.set(r.sku, (ordered.get(r.sku) ?? 0) + r.quantity);
    // What each SKU still needs held: ordered less shipped, taken from the order's reservations in order.
    const left = new Map([...ordered].map(([sku, q]) => [sku, Math.max(0, q - (shipped.get(sku) ?? 0))]));
    const remaining: StoredReservation[] = [];
    for (const r of held) {
      const keep = Math.min(r.quantity, left.get(r.sku) ?? 0);
      left.set(r.sku, (left.get(r.sku) ?? 0) - keep);
      if (keep > 0) remaining.push({ ...r, quantity: keep });
    }
    const before = held.reduce((sum, r) => sum + r.quantity, 0);
    if (remaining.reduce((sum, r) => sum + r.quantity, 0) === before) return;
    this.book.put(orderId, remaining);
    await this.deps.store.replaceReservations(orderId, remaining);
    this.emit(new Set(held.map((r) => r.sku)), this.deps.clock.now());
  }

  /** Lets go of an order's stock (cancelled, rejected, expired, or found leaked by reconciliation). */
  async release(orderId: string, why: string): Promise<StoredReservation[]> {
    const released = this.book.remove(orderId);
    if (released.length === 0) return released;
    await this.deps.store.deleteReservations([orderId]);
    this.deps.metrics?.reservations.inc({ channel: released[0]!.channel, outcome: why === 'expired' || why === 'leaked' ? why : 'released' });
    this.emit(new Set(released.map((r) => r.sku)), this.deps.clock.now());
    return released;
  }

  /** Orders whose reservations have outlived `inventory.reservationHours`. */
  expiredOrders(now: number): string[] {
    const expired: string[] = [];
    for (const [orderId, held] of this.book.entries()) if (held.some((r) => r.expiresAt <= now)) expired.push(orderId);
    return expired;
  }

  private emit(skus: ReadonlySet<string>, at: number): void {
    // A kit's availability follows its components.
    const all = new Set(skus);
    for (const sku of skus) for (const kit of this.rules.kitsByComponent.get(sku) ?? []) all.add(kit);
    for (const listener of this.listeners) listener(all, at);
  }

  private load(l: StoredLevel): void {
    const i = this.table.row(l.sku, l.location);
    this.table.set(i, { onHand: l.onHand, allocated: l.allocated, inTransit: l.inTransit, expectedAt: l.expectedAt ?? Number.NaN });
    this.table.asOf[i] = l.asOf;
  }

  private stored(rows: readonly number[], source: string): StoredLevel[] {
    return [...new Set(rows)].map((i) => this.storedLevel(i, source));
  }

  private storedLevel(i: number, source: string): StoredLevel {
    const t = this.table;
    const expected = t.expectedAt[i]!;
    const asOf = t.asOf[i]!;
    return {
      sku: t.sku(i), location: t.location(i), onHand: t.onHand[i]!, allocated: t.allocated[i]!, inTransit: t.inTransit[i]!,
      expectedAt: Number.isNaN(expected) ? null : expected, asOf: Number.isFinite(asOf) ? asOf : 0, source,
    };
  }
}
