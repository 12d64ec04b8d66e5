import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ChannelOrderDocument, WebhookDelivery, WebhookRequest, WebhookSource, WebhookVerdict } from '../../channels/types.js';
import { CrossdockError } from '../../errors/crossdock-error.js';
import type { CallContext } from '../capabilities.js';
import type { ShopifyClient } from './client.js';
import { identifyShopifyOrder } from './mapping.js';
import { asRecord, idText } from './read.js';
import type { ResolvedShopifySettings } from './settings.js';

/**
 * Topics whose body is the whole order in REST format (Webhooks reference: orders/create,
 * orders/updated, orders/cancelled, orders/paid, orders/fulfilled, orders/partially_fulfilled).
 */
export const ORDER_TOPICS: ReadonlySet<string> = new Set([
  'orders/create',
  'orders/updated',
  'orders/cancelled',
  'orders/paid',
  'orders/fulfilled',
  'orders/partially_fulfilled',
]);

/** `orders/edited` carries only `{ order_edit: { order_id, line_items: { additions, removals } } }`. */
export const ORDER_EDITED_TOPIC = 'orders/edited';

/** The base64 HMAC-SHA256 of the raw body with the app's client secret, as Shopify sends it. */
export function shopifyWebhookSignature(rawBody: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('base64');
}

/**
 * Shopify signs each delivery with `X-Shopify-Hmac-Sha256` (base64 HMAC-SHA256 of the raw body,
 * keyed with the app's client secret). The comparison is on the decoded bytes, in constant time,
 * after a length check (timingSafeEqual throws on unequal lengths). A delivery from another
 * shop (`X-Shopify-Shop-Domain`) is refused even when signed: one app secret serves every shop
 * the app is installed on.
 */
export function createShopifyWebhooks(settings: ResolvedShopifySettings, client: ShopifyClient): WebhookSource {
  return {
    verify(request: WebhookRequest): WebhookVerdict {
      const signature = request.headers['x-shopify-hmac-sha256'];
      if (signature === undefined || signature === '') return { ok: false, reason: 'missing X-Shopify-Hmac-Sha256' };
      const expected = createHmac('sha256', settings.webhookSecret).update(request.rawBody).digest();
      const given = Buffer.from(signature, 'base64');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        return { ok: false, reason: 'X-Shopify-Hmac-Sha256 does not match the body' };
      }
      const shop = request.headers['x-shopify-shop-domain']?.toLowerCase();
      if (shop !== settings.shopDomain) return { ok: false, reason: `delivery for shop ${shop ?? '(none)'}, not ${settings.shopDomain}` };
      const deliveryId = request.headers['x-shopify-webhook-id'];
      const topic = request.headers['x-shopify-topic'];
      if (!deliveryId) return { ok: false, reason: 'missing X-Shopify-Webhook-Id' };
      if (!topic) return { ok: false, reason: 'missing X-Shopify-Topic' };
      return { ok: true, deliveryId, topic };
    },

    async resolve(delivery: WebhookDelivery, body: unknown, ctx: CallContext): Promise<ChannelOrderDocument[]> {
      if (ORDER_TOPICS.has(delivery.topic)) return asDocuments(body);
      if (delivery.topic === ORDER_EDITED_TOPIC) {
        // The edit payload names the order only: read the order as it now is.
        const orderId = idText(asRecord(asRecord(body)?.order_edit)?.order_id);
        if (orderId === undefined) return [];
        return asDocuments(await client.order(orderId, ctx));
      }
      return [];
    },
  };
}

function asDocuments(order: unknown): ChannelOrderDocument[] {
  const identity = identifyShopifyOrder(order);
  if (identity === undefined) {
    // Not dropped in silence: the delivery stays in the journal and a person sees why.
    throw new CrossdockError('channel.unmappable', 'Shopify order without a usable id or updated_at', {
      errors: [{ pointer: '/id', detail: 'missing or not a Shopify id' }, { pointer: '/updated_at', detail: 'missing or not a timestamp' }],
    });
  }
  return [{ ...identity, document: order }];
}
