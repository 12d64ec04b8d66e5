import { ORDER_SCHEMA_VERSION, type Order, type OrderSubmission } from '../canonical/order.js';
import { sha256 } from '../lib/canonical-json.js';
import { newId } from '../lib/ids.js';
import type { AcceptOrderInput, AcceptOrderResult, Store } from '../store/types.js';

export interface IntakeRequest {
  /** Already validated against OrderSubmission v1. */
  submission: OrderSubmission;
  /** The bytes as received, kept verbatim in the journal. */
  raw: string;
  idempotencyKey?: string;
  correlationId: string;
  now: number;
}

export interface IntakeDeps {
  store: Store;
  maxAttempts: number;
}

/** The natural idempotency key of an order: one order per channel order id. */
export function naturalOrderKey(channel: string, channelOrderId: string): string {
  return `order:${channel}:${channelOrderId}`;
}

/**
 * Accepts an order: canonical form, idempotency keys, then one store transaction that journals
 * raw + canonical and enqueues processing. The ERP is not touched here, so intake latency does
 * not depend on it.
 */
export async function acceptOrderSubmission(deps: IntakeDeps, request: IntakeRequest): Promise<AcceptOrderResult> {
  return deps.store.acceptOrder(orderAcceptance(deps, request));
}

/** What the store needs to accept a validated submission: ids, keys, canonical order, first answer. */
export function orderAcceptance(deps: Pick<IntakeDeps, 'maxAttempts'>, request: IntakeRequest): AcceptOrderInput {
  const { submission, now } = request;
  const orderId = newId('ord', now);
  const order: Order = {
    id: orderId,
    version: ORDER_SCHEMA_VERSION,
    source: { system: submission.channel, id: submission.channelOrderId },
    receivedAt: new Date(now).toISOString(),
    ...submission,
  };
  const keys = [naturalOrderKey(submission.channel, submission.channelOrderId)];
  if (request.idempotencyKey) keys.unshift(`key:${request.idempotencyKey}`);
  return {
    orderId,
    messageId: newId('msg', now),
    jobId: newId('job', now),
    correlationId: request.correlationId,
    channel: submission.channel,
    channelOrderId: submission.channelOrderId,
    ...(submission.orderNumber ? { orderNumber: submission.orderNumber } : {}),
    ...(submission.poNumber ? { poNumber: submission.poNumber } : {}),
    idempotencyKeys: keys,
    requestHash: sha256(request.raw),
    raw: request.raw,
    canonical: order,
    response: { orderId, correlationId: request.correlationId, status: 'received', location: `/v1/orders/${orderId}` },
    sourceTimestamp: submission.orderedAt,
    customerAccount: submission.customer.accountId,
    now,
    maxAttempts: deps.maxAttempts,
  };
}
