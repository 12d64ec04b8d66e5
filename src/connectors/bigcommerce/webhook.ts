import { createHash, timingSafeEqual } from 'node:crypto';
import type { ChannelOrderDocument, WebhookDelivery, WebhookRequest, WebhookSource, WebhookVerdict } from '../../channels/types.js';
import type { CallContext } from '../capabilities.js';
import type { BigCommerceClient } from './client.js';
import { ORDER_STATUS } from './document.js';
import type { ResolvedSettings } from './settings.js';
import { identifyDocument } from './document.js';
import { integer, isRecord, type Json, text } from './values.js';

/** The order topics `resolve` turns into order versions; every other scope carries no order. */
export const ORDER_SCOPES: ReadonlySet<string> = new Set([
  'store/order/created',
  'store/order/updated',
  'store/order/statusUpdated',
  'store/order/archived',
]);

/**
 * Checks a delivery. BigCommerce does not sign webhook payloads; its documented way to
 * authenticate callbacks is the custom `headers` registered with the webhook (Webhooks API:
 * `headers`), so the delivery must carry the shared secret in the configured header. Only
 * after the secret matched is the body parsed, to read the payload `hash` (BigCommerce's SHA-1 of
 * the payload: a redelivery carries the same, so it is the delivery id) and to refuse a
 * payload whose `producer` is another store.
 */
export function verifyBigCommerceWebhook(request: WebhookRequest, settings: Pick<ResolvedSettings, 'webhookSecret' | 'webhookSecretHeader' | 'storeHash'>): WebhookVerdict {
  const presented = request.headers[settings.webhookSecretHeader];
  if (presented === undefined || presented === '') return { ok: false, reason: `missing ${settings.webhookSecretHeader} header` };
  if (!secretsMatch(presented, settings.webhookSecret)) return { ok: false, reason: `${settings.webhookSecretHeader} does not match the webhook secret` };

  let payload: unknown;
  try {
    payload = JSON.parse(request.rawBody.toString('utf8'));
  } catch {
    return { ok: false, reason: 'body is not JSON' };
  }
  if (!isRecord(payload)) return { ok: false, reason: 'body is not a webhook payload' };
  const scope = text(payload.scope);
  const hash = text(payload.hash);
  if (!scope || !hash) return { ok: false, reason: 'payload lacks scope or hash' };
  // Payload docs: producer "will always follow the pattern stores/{store_hash}".
  if (text(payload.producer) !== `stores/${settings.storeHash}`) return { ok: false, reason: `producer ${JSON.stringify(payload.producer)} is not stores/${settings.storeHash}` };
  return { ok: true, deliveryId: hash, topic: scope };
}

/** Constant-time comparison; lengths are checked first (timingSafeEqual needs equal lengths). */
function secretsMatch(presented: string, secret: string): boolean {
  const a = Buffer.from(presented, 'utf8');
  const b = Buffer.from(secret, 'utf8');
  if (a.length !== b.length) {
    // Still spend a comparison, so a wrong length takes as long as a wrong byte.
    timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
    return false;
  }
  return timingSafeEqual(a, b);
}

/** The order id a payload names (`data: { type: "order", id: 123 }`). */
export function orderIdOf(body: unknown): number | undefined {
  let payload = body;
  if (Buffer.isBuffer(payload)) payload = payload.toString('utf8');
  if (typeof payload === 'string') {
    try {
      payload = JSON.parse(payload);
    } catch {
      return undefined;
    }
  }
  if (!isRecord(payload) || !isRecord(payload.data)) return undefined;
  const data: Json = payload.data;
  if (text(data.type) !== undefined && text(data.type) !== 'order') return undefined;
  const id = integer(data.id);
  return id !== undefined && id > 0 ? id : undefined;
}

export function bigCommerceWebhooks(settings: ResolvedSettings, client: BigCommerceClient): WebhookSource {
  return {
    verify: (request) => verifyBigCommerceWebhook(request, settings),
    async resolve(delivery: WebhookDelivery, body: unknown, ctx: CallContext): Promise<ChannelOrderDocument[]> {
      if (!ORDER_SCOPES.has(delivery.topic)) return [];
      const id = orderIdOf(body);
      if (id === undefined) return [];
      // The payload carries only the id: the order is read now, in its latest version.
      const document = await client.getOrderDocument(id, ctx);
      if (!document) return []; // deleted since
      return toChannelDocuments([document]);
    },
  };
}

/**
 * Documents ready for the runtime. A status 0 (Incomplete) order is a checkout the shopper
 * never finished, not an order: it is left out.
 */
export function toChannelDocuments(documents: readonly { order: Json }[]): ChannelOrderDocument[] {
  const out: ChannelOrderDocument[] = [];
  for (const document of documents) {
    if (integer(document.order.status_id) === ORDER_STATUS.incomplete) continue;
    const identity = identifyDocument(document);
    if (identity) out.push({ ...identity, document });
  }
  return out;
}
