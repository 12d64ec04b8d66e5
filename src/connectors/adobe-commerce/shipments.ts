import type { CallContext, ExternalRef } from '../capabilities.js';
import type { Order } from '../../canonical/order.js';
import type { ShipmentSubmission } from '../../canonical/shipment.js';
import type { ShipmentSink } from '../../channels/types.js';
import { CrossdockError } from '../../errors/crossdock-error.js';
import type { AdobeCommerceClient } from './client.js';
import { arrayAt, id, objectAt, text, type Json } from './document.js';
import { shipmentMarker, shipmentToMagentoShipRequest, type ShipRequestOptions } from './shipment-mapping.js';

/** Transient failures after which the ship request may have been carried out by Magento. */
const MAYBE_CARRIED_OUT = new Set(['target.unreachable', 'target.timeout', 'target.unavailable']);

/** Magento's 400 when the order has nothing left to ship (Shipment Document Validation). */
const NOTHING_TO_SHIP = /does not allow a shipment to be created/i;

export interface ShipmentSinkOptions extends Omit<ShipRequestOptions, 'marker'> {
  client: AdobeCommerceClient;
  /** `ExternalRef.system`: the channel instance. */
  system: string;
}

/**
 * Shipments out, exactly once. Magento's ship call has no idempotency key, so:
 * 1. the order's shipments are read first; one carrying this shipment's marker comment or one
 *    of its tracking numbers is this shipment → `existed: true`;
 * 2. the ship call is never retried blindly by the policy once it may have reached Magento (a
 *    dropped connection, a timeout, a 5xx): the shipments are read again instead, and when the
 *    shipment is not there the transient error goes back to the job queue, whose next run
 *    starts again at step 1;
 * 3. a 400 "The order does not allow a shipment to be created." (nothing left to ship) resolves
 *    to this shipment when it exists, else to the order's latest shipment, `existed: true`.
 */
export function createAdobeCommerceShipments(options: ShipmentSinkOptions): ShipmentSink {
  const { client, system } = options;
  const refOf = (shipment: Json): ExternalRef => ({
    system,
    id: id(shipment.entity_id) ?? '',
    ...(text(shipment.increment_id) === undefined ? {} : { number: text(shipment.increment_id)! }),
    existed: true,
  });
  const findExisting = async (orderId: string, shipment: ShipmentSubmission, ctx: CallContext) => {
    const shipments = await client.listShipments(orderId, ctx);
    const mine = shipments.find((s) => isThisShipment(s, shipment));
    return { mine: mine === undefined ? undefined : refOf(mine), latest: shipments.at(-1) };
  };

  return {
    async publish(shipment: ShipmentSubmission, order: Order, ctx: CallContext): Promise<ExternalRef> {
      const orderId = order.channelOrderId;
      const before = await findExisting(orderId, shipment, ctx);
      if (before.mine !== undefined) return before.mine;

      const magentoOrder = await client.getOrder(orderId, ctx);
      const request = shipmentToMagentoShipRequest(shipment, order, magentoOrder.items, { ...options, marker: shipmentMarker(shipment.shipmentId) });
      if (!request.ok) {
        throw new CrossdockError('channel.unmappable', `Shipment ${shipment.shipmentId} does not match Adobe Commerce order ${orderId}`, {
          target: system,
          errors: request.problems.map((p) => ({ pointer: `/${p.path.replace(/\[(\d+)\]/g, '/$1').replace(/\./g, '/')}`, detail: p.message })),
        });
      }

      const guard = stopRetriesOnceSent(ctx);
      let result: Awaited<ReturnType<AdobeCommerceClient['shipOrder']>>;
      try {
        result = await client.shipOrder(orderId, request.body, guard.ctx);
      } catch (error) {
        if (!guard.maybeSent()) throw error;
        const after = await findExisting(orderId, shipment, ctx);
        if (after.mine !== undefined) return after.mine;
        throw error;
      }
      if (!('refused' in result)) return { system, id: result.shipmentId };
      if (NOTHING_TO_SHIP.test(result.message)) {
        const after = await findExisting(orderId, shipment, ctx);
        const existing = after.mine ?? (after.latest === undefined ? undefined : refOf(after.latest));
        if (existing !== undefined) return existing;
      }
      throw new CrossdockError('target.rejected', `Adobe Commerce refused shipment ${shipment.shipmentId} of order ${orderId}: ${result.message}`, {
        target: system,
        context: { operation: 'order.ship', status: result.status, body: result.body, request: request.body },
      });
    },
  };
}

function isThisShipment(existing: Json, shipment: ShipmentSubmission): boolean {
  const marker = shipmentMarker(shipment.shipmentId);
  const numbers = new Set(shipment.tracking.map((t) => t.number.trim()));
  const comments = arrayAt(existing.comments).map((c) => text(objectAt(c).comment) ?? '');
  const tracks = arrayAt(existing.tracks).map((t) => text(objectAt(t).track_number) ?? '');
  return comments.some((c) => c.includes(marker)) || tracks.some((t) => numbers.has(t));
}

/**
 * A CallContext whose signal is aborted as soon as an attempt fails in a way that may have
 * reached Magento: the policy then stops retrying (it checks the signal before each retry)
 * and throws that failure, so the shipment is looked for before any second ship request.
 */
function stopRetriesOnceSent(ctx: CallContext): { ctx: CallContext; maybeSent: () => boolean } {
  const controller = new AbortController();
  let sent = false;
  const signal = ctx.signal === undefined ? controller.signal : AbortSignal.any([ctx.signal, controller.signal]);
  return {
    ctx: {
      ...ctx,
      signal,
      onAttempt: (report) => {
        ctx.onAttempt?.(report);
        if (report.outcome === 'error' && report.errorCode !== undefined && MAYBE_CARRIED_OUT.has(report.errorCode)) {
          sent = true;
          controller.abort(new CrossdockError('target.unreachable', 'the ship request may have reached Adobe Commerce: not retried blindly'));
        }
      },
    },
    maybeSent: () => sent,
  };
}
