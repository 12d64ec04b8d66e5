import Type, { type Static } from 'typebox';
import { StringEnum } from '../canonical/common.js';
import { InventoryFeedSchema, resolveInventoryFeeds, type InventoryFeedSettings } from './feeds/config-schema.js';

const OVERSELL = ['reject', 'backorder', 'hold'] as const;
export type OversellPolicy = (typeof OVERSELL)[number];

const Share = Type.Union([
  Type.Object({ percent: Type.Number({ exclusiveMinimum: 0, maximum: 100, description: 'This share of what is available to promise' }) }, { additionalProperties: false }),
  Type.Object({ quantity: Type.Integer({ minimum: 0, description: 'At most this many of each SKU' }) }, { additionalProperties: false }),
  Type.Object({ pool: Type.String({ minLength: 1, description: 'A pool of `inventory.pools`: what is left for it after the pools before it' }) }, { additionalProperties: false }),
]);

const ChannelRule = Type.Object(
  {
    share: Type.Optional({ ...Share, description: '{ percent }, { quantity } or { pool }: what part of the free stock this channel is shown. @default all of it' }),
    locations: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'Locations this channel sells from, in the order reservations draw on them. @default every location' })),
    inTransitDays: Type.Optional(Type.Integer({ minimum: 0, description: 'Sell stock in transit that is expected within this many days; absent: in-transit stock is not sold' })),
    lowStock: Type.Optional(Type.Integer({ minimum: 0, description: 'Below this many the channel shows zero (keeps the last units for other channels). @default 0' })),
    oversell: Type.Optional(StringEnum(OVERSELL, 'An order for more than is available to promise: reject it, accept it as a backorder, or hold it for a person. @default inventory.oversell')),
    freshnessMs: Type.Optional(Type.Integer({ minimum: 50, description: 'Changes are coalesced and published at most this often. @default inventory.freshnessMs' })),
  },
  { additionalProperties: false },
);

const SafetyStock = Type.Object(
  {
    sku: Type.Optional(Type.String({ minLength: 1 })),
    location: Type.Optional(Type.String({ minLength: 1 })),
    channel: Type.Optional(Type.String({ minLength: 1 })),
    quantity: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false, description: 'Kept back from what is available to promise; the rule naming the most of sku, location and channel wins' },
);

const Pool = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    quantity: Type.Optional(Type.Integer({ minimum: 0, description: 'Ring-fenced units of each SKU' })),
    percent: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100, description: 'This share of what is available to promise' })),
  },
  { additionalProperties: false, description: 'Pools take their slice in the order listed; one with neither quantity nor percent takes the rest' },
);

const KitComponent = Type.Object({ sku: Type.String({ minLength: 1 }), quantity: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });

export const InventoryConfigSchema = Type.Object(
  {
    freshnessMs: Type.Optional(Type.Integer({ minimum: 50, description: 'How long changes are coalesced before a channel is published to. @default 1000' })),
    reservationHours: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'An order that is neither posted, cancelled nor rejected in this time loses its reservation. @default 72' })),
    oversell: Type.Optional(StringEnum(OVERSELL, 'Default oversell policy of every channel. @default backorder')),
    channels: Type.Optional(Type.Record(Type.String(), ChannelRule, { description: 'Allocation rules per channel (instance id, EDI partner id, or `api`)' })),
    pools: Type.Optional(Type.Array(Pool, { description: 'Priority pools of stock, highest priority first' })),
    safetyStock: Type.Optional(Type.Array(SafetyStock)),
    kits: Type.Optional(Type.Record(Type.String(), Type.Array(KitComponent, { minItems: 1 }), { description: 'Kit SKU → its components: a kit is as available as its scarcest component' })),
    units: Type.Optional(Type.Record(Type.String(), Type.Record(Type.String(), Type.Integer({ minimum: 1 })), {
      description: 'SKU → unit → stock units in one of it (`SKU-5: { CA: 12 }`), for sources and orders that count in another unit',
    })),
    reconcileMinutes: Type.Optional(Type.Integer({ minimum: 1, description: 'How often reservations are checked against open orders. @default 15' })),
    feeds: Type.Optional(Type.Array(InventoryFeedSchema, { description: 'Stock feeds from 3PLs and WMSs (docs/inventory-feeds.md)' })),
  },
  { additionalProperties: false, description: 'Inventory engine: allocation rules, safety stock, kits, units, feeds (docs/inventory.md)' },
);
export type InventoryConfigFile = Static<typeof InventoryConfigSchema>;
export type ChannelRuleFile = Static<typeof ChannelRule>;

/** One channel's allocation rule with defaults applied. */
export interface ChannelRule {
  share: { percent: number } | { quantity: number } | { pool: string } | undefined;
  locations: string[] | undefined;
  inTransitDays: number | undefined;
  lowStock: number;
  oversell: OversellPolicy;
  freshnessMs: number;
}

export interface InventorySettings {
  freshnessMs: number;
  reservationMs: number;
  oversell: OversellPolicy;
  channels: Record<string, ChannelRule>;
  pools: { name: string; quantity?: number; percent?: number }[];
  safetyStock: { sku?: string; location?: string; channel?: string; quantity: number }[];
  kits: Record<string, { sku: string; quantity: number }[]>;
  units: Record<string, Record<string, number>>;
  reconcileMs: number;
  feeds: InventoryFeedSettings[];
}

/** Applies defaults and checks references between the parts; problems name the path. */
export function resolveInventory(file: InventoryConfigFile | undefined, env: NodeJS.ProcessEnv, problems: string[]): InventorySettings {
  const freshnessMs = file?.freshnessMs ?? 1000;
  const oversell = file?.oversell ?? 'backorder';
  const pools = file?.pools ?? [];
  const poolNames = new Set(pools.map((p) => p.name));
  pools.forEach((p, i) => {
    if (p.quantity !== undefined && p.percent !== undefined) problems.push(`/inventory/pools/${i}: give quantity or percent, not both`);
  });
  const channels: Record<string, ChannelRule> = {};
  for (const [id, rule] of Object.entries(file?.channels ?? {})) {
    if (rule.share && 'pool' in rule.share && !poolNames.has(rule.share.pool)) {
      problems.push(`/inventory/channels/${id}/share/pool: ${rule.share.pool} is not a pool of inventory.pools`);
    }
    channels[id] = {
      share: rule.share, locations: rule.locations, inTransitDays: rule.inTransitDays, lowStock: rule.lowStock ?? 0,
      oversell: rule.oversell ?? oversell, freshnessMs: rule.freshnessMs ?? freshnessMs,
    };
  }
  const kits = file?.kits ?? {};
  for (const [kit, components] of Object.entries(kits)) {
    components.forEach((c, i) => {
      if (c.sku === kit || kits[c.sku]) problems.push(`/inventory/kits/${kit}/${i}/sku: a kit's component cannot be a kit (${c.sku})`);
    });
  }
  return {
    freshnessMs, oversell, channels, pools, kits,
    reservationMs: Math.round((file?.reservationHours ?? 72) * 3_600_000),
    safetyStock: file?.safetyStock ?? [],
    units: file?.units ?? {},
    reconcileMs: (file?.reconcileMinutes ?? 15) * 60_000,
    feeds: resolveInventoryFeeds(file?.feeds ?? [], env, problems),
  };
}

/** The rule of a channel with no entry of its own: everything, the default policy. */
export function defaultChannelRule(settings: Pick<InventorySettings, 'freshnessMs' | 'oversell'>): ChannelRule {
  return { share: undefined, locations: undefined, inTransitDays: undefined, lowStock: 0, oversell: settings.oversell, freshnessMs: settings.freshnessMs };
}
