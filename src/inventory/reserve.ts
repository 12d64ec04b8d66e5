import type { StoredReservation } from '../store/inventory-types.js';
import type { AvailabilityRules } from './atp.js';
import type { LevelTable } from './level-table.js';

/** One order line in stock units (a kit line becomes one requirement per component). */
export interface Requirement {
  line: number;
  sku: string;
  quantity: number;
}

export interface Shortage {
  line: number;
  sku: string;
  ordered: number;
  promisable: number;
}

export interface ReservationPlan {
  reservations: Omit<StoredReservation, 'orderId' | 'channel' | 'postedAt' | 'expiresAt' | 'createdAt'>[];
  shortages: Shortage[];
  /** SKUs no source reports: crossdock does not limit them. */
  untracked: string[];
}

/**
 * Where an order's lines would be held, without holding them yet: each requirement draws on
 * the channel's locations (in its configured order, else the location with most free stock
 * first), never beyond what the channel may promise. With `backorder`, what stock cannot cover
 * is still held — at the first location, below zero — so every channel sees it as taken.
 */
export function planReservation(
  table: LevelTable, rules: AvailabilityRules, requirements: readonly Requirement[], channel: string, now: number, backorder: boolean,
): ReservationPlan {
  const plan: ReservationPlan = { reservations: [], shortages: [], untracked: [] };
  const rule = rules.rule(channel);
  /** What this plan has already drawn, per level row and per SKU. */
  const drawn = new Map<number, number>();
  const drawnBySku = new Map<string, number>();
  for (const req of requirements) {
    if (!table.tracks(req.sku)) {
      if (!plan.untracked.includes(req.sku)) plan.untracked.push(req.sku);
      continue;
    }
    const promisable = rules.availability(table, req.sku, channel, now).promisable - (drawnBySku.get(req.sku) ?? 0);
    if (req.quantity > promisable) plan.shortages.push({ line: req.line, sku: req.sku, ordered: req.quantity, promisable: Math.max(0, promisable) });
    const rows = table.rowsOf(req.sku).filter((i) => rules.sellsFrom(rule, table.location(i)));
    const free = (i: number) => rules.locationFree(table, i, channel, rule, now).free - (drawn.get(i) ?? 0);
    const ordered = rule.locations
      ? [...rows].sort((a, b) => rule.locations!.indexOf(table.location(a)) - rule.locations!.indexOf(table.location(b)))
      : [...rows].sort((a, b) => free(b) - free(a));
    // Never more than the channel's share, even where the locations hold more.
    let left = Math.min(req.quantity, Math.max(0, promisable));
    const take = (i: number, quantity: number) => {
      if (quantity <= 0) return;
      drawn.set(i, (drawn.get(i) ?? 0) + quantity);
      drawnBySku.set(req.sku, (drawnBySku.get(req.sku) ?? 0) + quantity);
      const same = plan.reservations.find((r) => r.line === req.line && r.sku === req.sku && r.location === table.location(i));
      if (same) same.quantity += quantity;
      else plan.reservations.push({ line: req.line, sku: req.sku, location: table.location(i), quantity });
    };
    for (const i of ordered) {
      if (left <= 0) break;
      const q = Math.min(left, Math.max(0, free(i)));
      take(i, q);
      left -= q;
    }
    const short = req.quantity - Math.min(req.quantity, Math.max(0, promisable)) + left;
    const first = ordered[0] ?? table.rowsOf(req.sku)[0];
    if (backorder && short > 0 && first !== undefined) take(first, short);
  }
  return plan;
}
