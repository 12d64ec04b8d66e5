import type { Order, OrderLine } from '../canonical/order.js';
import type { CrossReferences, RuntimeReferenceLookup, SkuCrossReference } from '../channels/mapping-context.js';
import { divideDecimal } from '../lib/money.js';
import type { Logger } from '../observability/logger.js';
import type { CrossReference, CrossReferenceKind, SkuReferenceValue } from '../store/operations-types.js';
import type { Store } from '../store/types.js';

/** How often every process re-reads the run-time cross-references. @default 5000 */
export const CROSS_REFERENCE_REFRESH_MS = 5_000;

interface ChannelReferences {
  skus: Map<string, SkuReferenceValue>;
  customers: Map<string, string>;
}

/**
 * The cross-references operators set at run time (console, API), held in memory: the order
 * flow and channel intake look keys up without touching the store. Each process re-reads them
 * every few seconds; the process that changes one knows at once. They win over the ones in
 * the configuration file.
 */
export class RuntimeCrossReferences {
  #byChannel = new Map<string, ChannelReferences>();
  #refreshedAt = Number.NEGATIVE_INFINITY;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Pick<Store, 'listCrossReferences' | 'putCrossReference' | 'deleteCrossReference'>,
    private readonly now: () => number,
    private readonly logger?: Logger,
  ) {}

  /** When the references were last read from the store (epoch ms). */
  get refreshedAt(): number {
    return this.#refreshedAt;
  }

  sku(channel: string, key: string): SkuReferenceValue | undefined {
    return this.#byChannel.get(channel)?.skus.get(key);
  }

  customer(channel: string, key: string): string | undefined {
    return this.#byChannel.get(channel)?.customers.get(key);
  }

  /** A channel instance's run-time references, for its mapping context at intake. */
  lookupFor(channel: string): RuntimeReferenceLookup {
    return { sku: (key) => this.sku(channel, key), customer: (key) => this.customer(channel, key) };
  }

  /** A channel's run-time references in the shape of the configured ones, for its mapping context. */
  forChannel(channel: string): CrossReferences {
    const refs = this.#byChannel.get(channel);
    if (!refs) return {};
    return {
      skus: Object.fromEntries([...refs.skus].map(([k, v]): [string, SkuCrossReference] => [k, v])),
      customers: Object.fromEntries(refs.customers),
    };
  }

  async refresh(): Promise<void> {
    const at = this.now();
    const all = await this.store.listCrossReferences({});
    const byChannel = new Map<string, ChannelReferences>();
    for (const ref of all) setIn(byChannel, ref);
    this.#byChannel = byChannel;
    this.#refreshedAt = at;
  }

  /** Reads the references now, then every `intervalMs`. */
  async start(intervalMs = CROSS_REFERENCE_REFRESH_MS): Promise<void> {
    await this.refresh();
    this.#timer ??= setInterval(() => {
      this.refresh().catch((error: unknown) => this.logger?.warn({ err: error }, 'could not refresh cross-references'));
    }, intervalMs).unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Sets a reference in the store and in this process; returns the one it replaced. */
  async put(ref: CrossReference): Promise<CrossReference | undefined> {
    const before = await this.store.putCrossReference(ref);
    setIn(this.#byChannel, ref);
    return before;
  }

  /** Removes a reference from the store and this process; returns it. */
  async delete(channel: string, kind: CrossReferenceKind, key: string): Promise<CrossReference | undefined> {
    const before = await this.store.deleteCrossReference(channel, kind, key);
    const refs = this.#byChannel.get(channel);
    if (kind === 'sku') refs?.skus.delete(key);
    else refs?.customers.delete(key);
    return before;
  }
}

function setIn(byChannel: Map<string, ChannelReferences>, ref: CrossReference): void {
  let refs = byChannel.get(ref.channel);
  if (!refs) {
    refs = { skus: new Map(), customers: new Map() };
    byChannel.set(ref.channel, refs);
  }
  if (ref.kind === 'sku') refs.skus.set(ref.key, ref.value);
  else refs.customers.set(ref.key, ref.value.account);
}

/** What applying the references changed, as the timeline step `cross-referenced` records it. */
export interface CrossReferenceChanges {
  lines: { line: number; key: string; from: { sku: string; quantity: number; uom: string }; to: { sku: string; quantity: number; uom: string } }[];
  customer?: { from: string; to: string };
}

export interface ReferenceLookup {
  sku(channel: string, key: string): SkuReferenceValue | undefined;
  customer(channel: string, key: string): string | undefined;
}

/**
 * Applies run-time cross-references to an order: each line whose channel key (`channelSku`,
 * else `sku`) has a SKU reference on the order's channel gets the crossdock SKU, keeping the
 * key as `channelSku`; the customer account likewise. A line the intake did not map (no
 * `channelSku`) is in channel units, so its quantity is converted by the pack factor and its
 * unit price divided by it; a line the intake already mapped is already in crossdock units and
 * only changes item. Applying the result again changes nothing. Undefined when nothing changes.
 */
export function applyCrossReferences(order: Order, refs: ReferenceLookup): { order: Order; changes: CrossReferenceChanges } | undefined {
  const changes: CrossReferenceChanges = { lines: [] };
  const lines = order.lines.map((line, index): OrderLine => {
    const key = line.channelSku ?? line.sku;
    const ref = refs.sku(order.channel, key);
    if (!ref || (ref.sku === line.sku && (ref.uom === undefined || ref.uom === line.uom))) return line;
    const convert = line.channelSku === undefined ? (ref.factor ?? 1) : 1;
    const mapped: OrderLine = {
      ...line, sku: ref.sku, channelSku: key, uom: ref.uom ?? line.uom, quantity: line.quantity * convert,
      unitPrice: convert === 1 ? line.unitPrice : divideDecimal(line.unitPrice, convert),
    };
    changes.lines.push({
      line: index, key,
      from: { sku: line.sku, quantity: line.quantity, uom: line.uom }, to: { sku: mapped.sku, quantity: mapped.quantity, uom: mapped.uom },
    });
    return mapped;
  });
  const account = refs.customer(order.channel, order.customer.accountId);
  const customer = account !== undefined && account !== order.customer.accountId ? { ...order.customer, accountId: account } : order.customer;
  if (customer !== order.customer) changes.customer = { from: order.customer.accountId, to: customer.accountId };
  if (changes.lines.length === 0 && !changes.customer) return undefined;
  return { order: { ...order, lines, customer }, changes };
}
