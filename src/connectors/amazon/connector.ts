import type { CallContext, ExternalRef } from '../capabilities.js';
import type { AvailabilityUpdate } from '../../canonical/availability.js';
import type { Order } from '../../canonical/order.js';
import type { ShipmentSubmission } from '../../canonical/shipment.js';
import type { AvailabilitySink, ChannelConnector, ChannelDeps, PublishResult, ShipmentSink } from '../../channels/types.js';
import { CrossdockError } from '../../errors/crossdock-error.js';
import type { HttpResponse } from '../../protect/types.js';
import { AmazonClient } from './client.js';
import { record, text } from './document.js';
import { ensureOk, spApiErrors } from './errors.js';
import { availabilityToPatch, shipmentToConfirmation } from './mapping-out.js';
import { createPolling } from './polling.js';
import type { ResolvedAmazonSettings } from './settings.js';

const SYSTEM = 'amazon';

/**
 * The connector of one Amazon instance: polling (SP-API has no order webhooks here; its
 * notifications need an SQS queue, not built), shipment confirmations and availability.
 */
export function createAmazonConnector(instance: string, settings: ResolvedAmazonSettings, deps: ChannelDeps): ChannelConnector {
  const client = new AmazonClient(instance, settings, deps);
  return {
    instance,
    type: 'amazon',
    polling: createPolling(client, settings, deps),
    shipments: shipmentSink(instance, client, settings, deps),
    availability: availabilitySink(instance, client, settings),
  };
}

function shipmentSink(instance: string, client: AmazonClient, settings: ResolvedAmazonSettings, deps: ChannelDeps): ShipmentSink {
  return {
    async publish(shipment: ShipmentSubmission, order: Order, ctx: CallContext): Promise<ExternalRef> {
      if (order.fulfilledBy === 'channel') {
        // Amazon ships AFN orders itself and refuses confirmations for them; the runtime does
        // not route them here. Should one arrive, there is nothing to confirm: Amazon already
        // has this shipment, so it is reported as existing rather than failed.
        deps.logger.warn({ instance, order: order.channelOrderId, shipment: shipment.shipmentId }, 'amazon: AFN order, shipment not confirmed (Amazon fulfils it)');
        return { system: SYSTEM, id: `${order.channelOrderId}/afn`, existed: true };
      }
      const plan = shipmentToConfirmation(shipment, order, settings);
      if (!plan.ok) {
        throw new CrossdockError('target.rejected', `Amazon shipment confirmation for ${order.channelOrderId} cannot be built: ${plan.reason}`, {
          target: instance,
          context: { shipmentId: shipment.shipmentId },
        });
      }
      const ref = { system: SYSTEM, id: `${plan.amazonOrderId}/${plan.body.packageDetail.packageReferenceId}` };
      const response = await client.confirmShipment(plan.amazonOrderId, plan.body, ctx);
      // 204: created, or — same packageReferenceId — the package edited in place (Amazon's
      // documented way to correct a confirmation), so a retried publish never adds a package.
      if (response.status >= 200 && response.status < 300) return ref;
      if (alreadyFulfilled(response)) return { ...ref, existed: true };
      ensureOk(response, instance, 'confirmShipment');
      return ref;
    },
  };
}

/**
 * Amazon's refusal of a package for an order with nothing left to ship: "Failed to create
 * package due to not finding a matching package or order already fulfilled"
 * (PackageToUpdateNotFound). The shipment is already at Amazon: it exists.
 */
function alreadyFulfilled(response: HttpResponse): boolean {
  if (response.status !== 400) return false;
  return spApiErrors(response.body).some((e) => /already fulfilled|PackageToUpdateNotFound/i.test(`${e.message} ${e.details ?? ''}`));
}

/**
 * One SKU per call (`maxBatch` 1): `patchListingsItem` patches one listing. The bulk
 * alternative is the JSON_LISTINGS_FEED of the Feeds API (asynchronous, one document for
 * thousands of SKUs), not built here.
 */
function availabilitySink(instance: string, client: AmazonClient, settings: ResolvedAmazonSettings): AvailabilitySink {
  return {
    maxBatch: 1,
    async publish(updates: readonly AvailabilityUpdate[], ctx: CallContext): Promise<PublishResult> {
      const detail: unknown[] = [];
      const rejected: { sku: string; reason: string }[] = [];
      for (const update of updates) {
        const patch = availabilityToPatch(update, settings);
        const response = await client.patchListingsItem(patch.sellerSku, patch.body, ctx);
        if (response.status === 404) {
          rejected.push({ sku: update.sku, reason: `Amazon has no listing ${patch.sellerSku} for seller ${settings.sellerId}` });
          continue;
        }
        const body = record(ensureOk(response, instance, 'patchListingsItem').body);
        const issues = Array.isArray(body?.issues) ? body.issues.map(record).filter((i) => i !== undefined) : [];
        const errors = issues.filter((issue) => text(issue.severity) === 'ERROR');
        const status = text(body?.status);
        detail.push({ sku: update.sku, sellerSku: patch.sellerSku, available: update.available, status, submissionId: text(body?.submissionId), issues });
        if (status !== 'ACCEPTED' || errors.length > 0) {
          const reasons = (errors.length > 0 ? errors : issues).map((issue) => `${text(issue.code) ?? '?'}: ${text(issue.message) ?? ''}`);
          rejected.push({ sku: update.sku, reason: `Amazon ${status ?? 'refused'} ${patch.sellerSku}${reasons.length > 0 ? `: ${reasons.join('; ')}` : ''}` });
        }
      }
      return { detail, ...(rejected.length > 0 ? { rejected } : {}) };
    },
  };
}

