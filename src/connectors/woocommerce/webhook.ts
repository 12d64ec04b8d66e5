import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { CallContext } from '../capabilities.js';
import type { ChannelOrderDocument, WebhookDelivery, WebhookRequest, WebhookSource, WebhookVerdict } from '../../channels/types.js';
import { CrossdockError } from '../../errors/crossdock-error.js';
import type { WooClient } from './client.js';
import { gmtToIso, isRecord, orderIdOf } from './document.js';
import { orderDocument } from './order-documents.js';

/** Order topics whose body is the order itself, as `GET /orders/{id}` would answer it. */
const ORDER_BODY_TOPICS = new Set(['order.created', 'order.updated', 'order.restored']);
export const PING_TOPIC = 'ping';

/**
 * The ping WooCommerce sends when a webhook is saved active for the first time:
 * `WC_Webhook::deliver_ping()` posts the form body `webhook_id=<id>` with no X-WC-Webhook-*
 * header and no signature, and the webhook is only marked delivered when the answer is 200.
 */
const PING_BODY = /^webhook_id=(\d{1,20})$/;

/**
 * WooCommerce signs each delivery with `X-WC-Webhook-Signature`: base64 of the HMAC-SHA256 of
 * the raw JSON body keyed with the webhook's secret (`WC_Webhook::generate_signature`).
 */
export function signWooPayload(rawBody: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('base64');
}

export function verifyWooDelivery(request: WebhookRequest, secret: string): WebhookVerdict {
  const signature = request.headers['x-wc-webhook-signature'];
  if (signature === undefined || signature === '') {
    // Unsigned by design (see PING_BODY); it carries no order and `resolve` makes nothing of it,
    // so accepting it only lets WooCommerce finish saving the webhook.
    const ping = PING_BODY.exec(request.rawBody.toString('utf8').trim());
    if (ping && request.headers['x-wc-webhook-topic'] === undefined) return { ok: true, topic: PING_TOPIC, deliveryId: `ping:${ping[1]}` };
    return { ok: false, reason: 'missing X-WC-Webhook-Signature' };
  }
  const expected = Buffer.from(signWooPayload(request.rawBody, secret), 'utf8');
  const given = Buffer.from(signature.trim(), 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'X-WC-Webhook-Signature does not match the body' };
  const topic = request.headers['x-wc-webhook-topic'];
  if (!topic) return { ok: false, reason: 'missing X-WC-Webhook-Topic' };
  return { ok: true, topic, deliveryId: deliveryIdOf(request) };
}

/**
 * WooCommerce's delivery id is `wp_hash(webhook id . current second)` (`get_new_delivery_id`):
 * two different events on one webhook within the same second share it (a bulk status change
 * sends many). The body's hash is added so those stay distinct, while a redelivery of the same
 * bytes keeps the same id.
 */
function deliveryIdOf(request: WebhookRequest): string {
  const digest = createHash('sha256').update(request.rawBody).digest('hex').slice(0, 16);
  const header = request.headers['x-wc-webhook-delivery-id'];
  return header ? `${header}.${digest}` : `body.${digest}`;
}

export function createWooWebhookSource(options: { secret: string; client: WooClient }): WebhookSource {
  return {
    verify: (request) => verifyWooDelivery(request, options.secret),
    resolve: (delivery, body, ctx) => resolveDelivery(delivery, body, options.client, ctx),
  };
}

/**
 * order.created / order.updated / order.restored carry the order; order.deleted carries only
 * `{ id }` (WC_Webhook::build_payload): the order is read back, and a trashed order still
 * answers (status `trash`, mapped as a cancellation) while one deleted for good answers 404 and
 * yields nothing. Pings and other topics carry no order.
 */
async function resolveDelivery(delivery: WebhookDelivery, body: unknown, client: WooClient, ctx: CallContext): Promise<ChannelOrderDocument[]> {
  if (ORDER_BODY_TOPICS.has(delivery.topic)) {
    const order = parsedBody(body);
    if (!isRecord(order) || orderIdOf(order) === undefined || gmtToIso(order.date_modified_gmt ?? order.date_created_gmt) === undefined) {
      throw new CrossdockError('channel.unmappable', `WooCommerce ${delivery.topic} delivery carries no order with an id and a date`, {
        errors: [{ pointer: '/id', detail: 'expected the order JSON of the REST API' }],
      });
    }
    return [await orderDocument(order, client, ctx)];
  }
  if (delivery.topic === 'order.deleted') {
    const payload = parsedBody(body);
    const id = isRecord(payload) ? orderIdOf(payload) : undefined;
    if (id === undefined) return [];
    const order = await client.getOrder(id, ctx);
    return order ? [await orderDocument(order, client, ctx)] : [];
  }
  return [];
}

/** The runtime may hand the journaled body over parsed, as text or as the raw bytes. */
function parsedBody(body: unknown): unknown {
  if (typeof body !== 'string' && !Buffer.isBuffer(body)) return body;
  try {
    return JSON.parse(body.toString()) as unknown;
  } catch {
    return undefined;
  }
}
