import type { Order } from '../../canonical/order.js';
import type { ShipmentSubmission } from '../../canonical/shipment.js';
import type { ChannelDeps, ShipmentSink } from '../../channels/types.js';
import { CrossdockError } from '../../errors/crossdock-error.js';
import type { CallContext, ExternalRef } from '../capabilities.js';
import type { ShopifyClient } from './client.js';
import {
  existingFulfillment, FULFILLMENT_ORDERS_QUERY, fulfillmentInput, fulfillmentMutation, planFulfillment, readFulfillmentState,
  type OrderFulfillmentState,
} from './fulfillment.js';
import { asArray, asRecord, text } from './read.js';
import type { ResolvedShopifySettings } from './settings.js';

/**
 * Shipment confirmations out: reads the order's fulfillment orders and fulfillments, then
 * `fulfillmentCreate` for the shipped lines with carrier and tracking. Idempotent: a fulfillment
 * with one of the shipment's tracking numbers, or nothing left to fulfil for its lines, means it
 * was published before: its reference comes back with `existed: true`.
 */
export function createShopifyShipments(settings: ResolvedShopifySettings, client: ShopifyClient, deps: Pick<ChannelDeps, 'logger'>): ShipmentSink {
  const mutation = fulfillmentMutation(settings.apiVersion);

  const readState = async (order: Order, ctx: CallContext): Promise<OrderFulfillmentState> => {
    const gid = `gid://shopify/Order/${order.channelOrderId}`;
    const data = await client.graphql('order.fulfillmentOrders', FULFILLMENT_ORDERS_QUERY, { id: gid }, ctx, 60);
    const state = readFulfillmentState(data);
    if (state === undefined) throw new CrossdockError('channel.not-found', `Shopify has no order ${gid} to fulfil`, { context: { order: order.id } });
    return state;
  };

  /** Already published? By tracking number, or because nothing of the shipped lines remains open. */
  const published = (state: OrderFulfillmentState, shipment: ShipmentSubmission, order: Order): ExternalRef | undefined => {
    const same = existingFulfillment(state, shipment);
    if (same) return { system: 'shopify', id: same.id, ...(same.name ? { number: same.name } : {}), existed: true };
    const plan = planFulfillment(shipment, order, state);
    if (plan.groups.length === 0 && plan.unmatched.length === 0) {
      const last = state.fulfillments.at(-1);
      if (last) return { system: 'shopify', id: last.id, ...(last.name ? { number: last.name } : {}), existed: true };
    }
    return undefined;
  };

  return {
    async publish(shipment: ShipmentSubmission, order: Order, ctx: CallContext): Promise<ExternalRef> {
      const state = await readState(order, ctx);
      const before = published(state, shipment, order);
      if (before) return before;

      const plan = planFulfillment(shipment, order, state);
      if (plan.unmatched.length > 0) {
        throw new CrossdockError('target.rejected', `shipment ${shipment.shipmentId} has lines that are not on Shopify order ${order.channelOrderId}: ${plan.unmatched.map((l) => l.lineId ?? l.sku).join(', ')}`, {
          context: { unmatched: plan.unmatched },
        });
      }
      if (plan.groups.length === 0) {
        throw new CrossdockError('target.rejected', `nothing is left to fulfil on Shopify order ${order.channelOrderId} for shipment ${shipment.shipmentId}, and it has no fulfillment to point to (fulfillment orders closed, cancelled or on hold)`);
      }
      if (plan.short.length > 0) {
        deps.logger.warn({ shipment: shipment.shipmentId, short: plan.short }, 'Shopify has less left to fulfil than shipped: the remaining quantity is fulfilled');
      }

      const created: ExternalRef[] = [];
      for (const group of plan.groups) {
        const data = await client.graphql('fulfillmentCreate', mutation.document, { fulfillment: fulfillmentInput(group, shipment, settings.notifyCustomer) }, ctx, 20);
        const payload = asRecord(data[mutation.field]);
        const errors = asArray(payload?.userErrors).map((e) => text(asRecord(e)?.message)).filter((m) => m !== undefined);
        const fulfillment = asRecord(payload?.fulfillment);
        const id = text(fulfillment?.id);
        if (errors.length > 0 || id === undefined) {
          // A retried mutation whose first attempt went through (answer lost) is refused as an
          // over-fulfilment: look again before calling it a rejection.
          const after = published(await readState(order, ctx), shipment, order);
          if (after) return created[0] ?? after;
          throw new CrossdockError('target.rejected', `Shopify refused the fulfillment of order ${order.channelOrderId}: ${errors.join('; ') || 'no fulfillment returned'}`, {
            context: { userErrors: payload?.userErrors },
          });
        }
        const name = text(fulfillment?.name);
        created.push({ system: 'shopify', id, ...(name === undefined ? {} : { number: name }) });
      }
      return created[0]!;
    },
  };
}
