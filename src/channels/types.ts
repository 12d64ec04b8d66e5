import type { TSchema } from 'typebox';
import type { AvailabilityUpdate } from '../canonical/availability.js';
import type { Order, OrderSubmission } from '../canonical/order.js';
import type { ShipmentSubmission } from '../canonical/shipment.js';
import type { CallContext, ExternalRef } from '../connectors/capabilities.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../observability/logger.js';
import type { HttpClient, ProtectionPolicy } from '../protect/types.js';

/**
 * The contract between crossdock and a sales channel connector (Shopify, Adobe Commerce,
 * BigCommerce, WooCommerce, Amazon, …). A connector folder exports one `ChannelType`; the
 * channel runtime (src/channels/) does the rest the same way for every channel: journaling,
 * deduplication, revisions, cursors, jobs. Connectors never touch the store.
 */

// ── Orders in ───────────────────────────────────────────────────────────────────────────────

/** One version of one channel order, as the channel's API or webhook gave it. */
export interface ChannelOrderDocument {
  /** The channel's own order id (unique per channel instance). */
  channelOrderId: string;
  /** When the channel last changed the order (ISO 8601): of two versions, the newer one wins. */
  updatedAt: string;
  /**
   * The vendor's document, exactly what the mapping reads: journaled verbatim as the raw
   * payload. For channels whose order is spread over several calls (BigCommerce order +
   * products + shipping addresses; Amazon order + items) an object holding all the parts.
   */
  document: unknown;
}

export interface MappingProblem {
  /** Where in the vendor document, as a JSON pointer-like path (`line_items[2].quantity`). */
  path: string;
  message: string;
}

export type MappingResult =
  | { ok: true; order: OrderSubmission; warnings: string[] }
  | { ok: false; problems: MappingProblem[] };

/** What a channel SKU (or variant, or listing) is in crossdock. */
export interface ResolvedSku {
  /** crossdock SKU. When no cross-reference matched: the first key given, unchanged. */
  sku: string;
  /** Unit of measure of the crossdock quantity. */
  uom: string;
  /** crossdock units in one channel unit (a channel "case" of 12 → 12). Quantity × factor, unit price ÷ factor. */
  factor: number;
  /** False when no cross-reference matched (the order flow then checks the SKU against the ERP). */
  mapped: boolean;
}

/**
 * What a mapping may ask of crossdock. Pure: answers come from configuration, never from the
 * network. Unknown SKUs and customers are not mapping errors: the order goes on with the
 * channel's reference and the order flow holds it with a readable reason, so nothing is dropped.
 */
export interface MappingContext {
  /** The channel instance id (`shopify-us`): becomes `OrderSubmission.channel`. */
  readonly channel: string;
  /** Tries each key against the instance's SKU cross-references, in order (e.g. `[sku, 'variant:123']`). */
  resolveSku(keys: readonly (string | null | undefined)[]): ResolvedSku;
  /**
   * Tries each key against the instance's customer cross-references (e.g. `['customer:42',
   * 'email:a@b.com', 'company:9']`); then the instance's default account; else the first key.
   */
  resolveCustomer(keys: readonly (string | null | undefined)[]): string;
  /** Settings of the instance the mapping may use (e.g. which price field is the shop currency). */
  readonly settings: Readonly<Record<string, unknown>>;
}

/** A verified webhook delivery. */
export interface WebhookDelivery {
  /** The channel's delivery id (`X-Shopify-Webhook-Id`, `X-WC-Webhook-Delivery-ID`): a redelivery has the same. */
  deliveryId: string;
  /** `orders/create`, `store/order/updated`, `order.updated` … */
  topic: string;
}

export type WebhookVerdict =
  | ({ ok: true } & WebhookDelivery)
  | { ok: false; reason: string };

export interface WebhookRequest {
  /** Header names lower-cased. */
  headers: Readonly<Record<string, string | undefined>>;
  /** The body exactly as received: signatures are computed over these bytes. */
  rawBody: Buffer;
}

/** Orders pushed by the channel. */
export interface WebhookSource {
  /**
   * Checks the delivery's signature over the raw bytes (constant-time comparison), before
   * anything is parsed. A wrong or missing signature is `{ ok: false }`: answered 401, journaled
   * as rejected.
   */
  verify(request: WebhookRequest): WebhookVerdict;
  /**
   * Turns a verified, journaled delivery into the order versions it carries. Runs in a job, not
   * in the request, so it may call the channel (BigCommerce webhooks carry only an id). Returns
   * [] for topics that carry no order (a ping, a product update).
   */
  resolve(delivery: WebhookDelivery, body: unknown, ctx: CallContext): Promise<ChannelOrderDocument[]>;
}

/** One page of a poll. */
export interface PollPage {
  documents: ChannelOrderDocument[];
  /** The cursor to store once every document of this page is accepted; the next poll starts there. */
  cursor: string;
  /** True when there is nothing after this page right now. */
  done: boolean;
}

/** Orders pulled from the channel: by modification time, from a durable cursor. */
export interface PollingSource {
  /**
   * The pages of orders changed since `cursor` (undefined: the first poll; start from
   * `settings.pollStartAt` or a short look-back). Each page's documents are accepted before
   * the next page is asked for. Include an overlap (a record written during the last poll may
   * carry an earlier time): documents seen twice are recognised by crossdock.
   */
  poll(cursor: string | undefined, ctx: CallContext): AsyncIterable<PollPage>;
}

// ── Availability and shipments out ──────────────────────────────────────────────────────────

export interface PublishResult {
  /** What the channel answered per item, for the journal (ids, counts, warnings). */
  detail?: unknown;
  /** Updates the channel refused (an unknown SKU at the channel): reported, not retried. */
  rejected?: { sku: string; reason: string }[];
}

/** `AvailabilitySink`: tells the channel how much it may sell. */
export interface AvailabilitySink {
  /** Largest batch the channel's API takes in one call; the runtime splits bigger ones. */
  readonly maxBatch: number;
  publish(updates: readonly AvailabilityUpdate[], ctx: CallContext): Promise<PublishResult>;
}

/** `ShipmentSink`: tells the channel an order (or part of it) shipped, with carrier and tracking. */
export interface ShipmentSink {
  /**
   * Creates the channel's fulfilment / shipment confirmation. Idempotent: when the channel
   * already has this shipment (same `shipment.shipmentId`, or nothing left to fulfil for those
   * lines), return its reference with `existed: true` instead of creating a second one.
   */
  publish(shipment: ShipmentSubmission, order: Order, ctx: CallContext): Promise<ExternalRef>;
}

// ── The connector and how it is built ───────────────────────────────────────────────────────

/** One configured channel instance's connector. Capabilities a channel lacks are absent. */
export interface ChannelConnector {
  readonly instance: string;
  readonly type: string;
  readonly webhooks?: WebhookSource;
  readonly polling?: PollingSource;
  readonly availability?: AvailabilitySink;
  readonly shipments?: ShipmentSink;
  close?(): Promise<void>;
}

export interface HttpClientRequest {
  /** Scheme, host and base path of the API. */
  baseUrl: string;
  /**
   * Sub-target for a second API of the same channel (Amazon's token endpoint: `lwa`): its own
   * protection policy `<instance>.<name>`. Absent: the instance's policy.
   */
  target?: string;
  defaultHeaders?: Record<string, string>;
  /** Reads the vendor's own "wait this long" header on 429/503 when `Retry-After` is absent (ms). */
  retryAfter?: (headers: Headers) => number | undefined;
}

/** What the channel runtime hands a connector. */
export interface ChannelDeps {
  /** HTTP clients wrapped by the instance's protection policy (target = instance id). */
  http(request: HttpClientRequest): HttpClient;
  /** The instance's policy, for `holdOff` when the vendor signals its budget is nearly spent. */
  policy(target?: string): ProtectionPolicy;
  clock: Clock;
  logger: Logger;
}

export interface ChannelInstanceConfig<Settings> {
  /** Instance id, lower-case (`shopify-us`): the channel name on orders, metrics and policies. */
  id: string;
  type: string;
  /** Validated against the type's settings schema; `env:NAME` strings already resolved. */
  settings: Settings;
}

/** What a connector folder exports (its manifest). */
export interface ChannelType<Settings = Record<string, unknown>> {
  /** `shopify`, `adobe-commerce`, `bigcommerce`, `woocommerce`, `amazon`. */
  readonly type: string;
  readonly title: string;
  /** TypeBox schema of an instance's settings (credentials as `env:NAME` references are allowed). */
  readonly settingsSchema: TSchema;
  /**
   * The pure mapping used at intake and by `crossdock map <type> order FILE`. `document` is
   * a `ChannelOrderDocument.document`.
   */
  mapOrder(document: unknown, ctx: MappingContext): MappingResult;
  /** Reads the order id and modification time from a document (for `crossdock map` and polling). */
  identify(document: unknown): { channelOrderId: string; updatedAt: string } | undefined;
  create(instance: ChannelInstanceConfig<Settings>, deps: ChannelDeps): ChannelConnector;
}
