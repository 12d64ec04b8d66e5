import { defaultChannelRule, type ChannelRule, type InventorySettings } from './config-schema.js';
import type { LevelTable } from './level-table.js';

const DAY_MS = 86_400_000;

/** Why a channel may sell what it may, per location: the answer to "why does it show 3?". */
export interface LocationAvailability {
  location: string;
  onHand: number;
  allocated: number;
  reserved: number;
  safetyStock: number;
  /** In transit and counted (the channel sells it and it is expected within its window). */
  inTransit: number;
  /** onHand − allocated − reserved − safety stock + counted in-transit, never below zero. */
  free: number;
}

export interface ChannelAvailability {
  sku: string;
  channel: string;
  /** What the channel is shown. */
  available: number;
  /** What the channel may promise before its low-stock threshold: the oversell limit. */
  promisable: number;
  /** Free stock in the channel's locations, before its share. */
  free: number;
  locations: LocationAvailability[];
  share: ChannelRule['share'] | null;
  lowStock: number;
  /** A kit: each component's promisable quantity. */
  components?: { sku: string; quantity: number; promisable: number }[];
  /** No source has reported this SKU: crossdock does not limit it. */
  tracked: boolean;
}

/**
 * Available to promise (DESIGN.md flow 3), compiled once from the configuration:
 * per location on hand − allocated − reservations − safety stock (+ in transit where the
 * channel's rule sells it), summed over the channel's locations, then the channel's share
 * (percent, fixed quantity, or its priority pool's slice), then its low-stock threshold. A kit
 * is as available as its scarcest component.
 */
export class AvailabilityRules {
  private readonly safety = new Map<string, number>();
  readonly kitsByComponent = new Map<string, string[]>();

  constructor(readonly settings: InventorySettings) {
    for (const s of settings.safetyStock) this.safety.set(safetyKey(s.sku, s.location, s.channel), s.quantity);
    for (const [kit, components] of Object.entries(settings.kits)) {
      for (const c of components) this.kitsByComponent.set(c.sku, [...(this.kitsByComponent.get(c.sku) ?? []), kit]);
    }
  }

  rule(channel: string): ChannelRule {
    return this.settings.channels[channel] ?? defaultChannelRule(this.settings);
  }

  isKit(sku: string): boolean {
    return this.settings.kits[sku] !== undefined;
  }

  /** The most specific safety-stock rule that matches (sku, location, channel all named first). */
  safetyStock(sku: string, location: string, channel: string): number {
    if (this.safety.size === 0) return 0;
    for (const [s, l, c] of SPECIFICITY) {
      const found = this.safety.get(safetyKey(s ? sku : undefined, l ? location : undefined, c ? channel : undefined));
      if (found !== undefined) return found;
    }
    return 0;
  }

  /** May this channel sell from this location? */
  sellsFrom(rule: ChannelRule, location: string): boolean {
    return rule.locations === undefined || rule.locations.includes(location);
  }

  /** Free stock of one level for one channel (may be negative: a backorder reserved beyond stock). */
  locationFree(table: LevelTable, i: number, channel: string, rule: ChannelRule, now: number): LocationAvailability & { raw: number } {
    const location = table.location(i);
    const safety = this.safetyStock(table.sku(i), location, channel);
    const expected = table.expectedAt[i]!;
    const transitCounts = rule.inTransitDays !== undefined && (Number.isNaN(expected) || expected <= now + rule.inTransitDays * DAY_MS);
    const inTransit = transitCounts ? table.inTransit[i]! : 0;
    const raw = table.onHand[i]! - table.allocated[i]! - table.reserved[i]! - safety + inTransit;
    return {
      location, onHand: table.onHand[i]!, allocated: table.allocated[i]!, reserved: table.reserved[i]!, safetyStock: safety, inTransit,
      free: Math.max(0, raw), raw,
    };
  }

  /** What `channel` may promise and is shown of `sku`. */
  availability(table: LevelTable, sku: string, channel: string, now: number): ChannelAvailability {
    const rule = this.rule(channel);
    const kit = this.settings.kits[sku];
    if (kit) {
      const components = kit.map((c) => ({ sku: c.sku, quantity: c.quantity, promisable: this.availability(table, c.sku, channel, now).promisable }));
      const tracked = kit.some((c) => table.tracks(c.sku));
      const promisable = tracked ? Math.min(...components.map((c) => (table.tracks(c.sku) ? Math.floor(c.promisable / c.quantity) : Number.POSITIVE_INFINITY))) : 0;
      const available = promisable < rule.lowStock ? 0 : promisable;
      return { sku, channel, available, promisable, free: promisable, locations: [], share: rule.share ?? null, lowStock: rule.lowStock, components, tracked };
    }
    const locations: LocationAvailability[] = [];
    let free = 0;
    for (const i of table.rowsOf(sku)) {
      if (!this.sellsFrom(rule, table.location(i))) continue;
      const { raw: _raw, ...level } = this.locationFree(table, i, channel, rule, now);
      locations.push(level);
      free += level.free;
    }
    const promisable = Math.floor(this.share(free, rule));
    const available = promisable < rule.lowStock ? 0 : promisable;
    return { sku, channel, available, promisable, free, locations, share: rule.share ?? null, lowStock: rule.lowStock, tracked: table.tracks(sku) };
  }

  /** The channel's share of `free`: a percentage, a fixed quantity, or its pool's slice. */
  share(free: number, rule: ChannelRule): number {
    const share = rule.share;
    if (!share) return free;
    if ('percent' in share) return Math.floor((free * share.percent) / 100);
    if ('quantity' in share) return Math.min(share.quantity, free);
    let left = free;
    for (const pool of this.settings.pools) {
      const slice = pool.quantity !== undefined ? Math.min(pool.quantity, left)
        : pool.percent !== undefined ? Math.min(left, Math.floor((free * pool.percent) / 100)) : left;
      if (pool.name === share.pool) return slice;
      left -= slice;
    }
    return 0;
  }
}

/** Most specific first: sku+location+channel, then pairs, then one, then a catch-all. */
const SPECIFICITY: readonly [boolean, boolean, boolean][] = [
  [true, true, true], [true, true, false], [true, false, true], [false, true, true],
  [true, false, false], [false, true, false], [false, false, true], [false, false, false],
];

function safetyKey(sku: string | undefined, location: string | undefined, channel: string | undefined): string {
  return `${sku ?? '*'}\u0000${location ?? '*'}\u0000${channel ?? '*'}`;
}
