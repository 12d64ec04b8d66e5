import type { ChannelConnector, ChannelDeps, ChannelInstanceConfig } from '../../channels/types.js';
import { createAdobeCommerceAvailability } from './availability.js';
import { AdobeCommerceClient } from './client.js';
import { createAdobeCommercePolling } from './polling.js';
import { resolveSettings, type AdobeCommerceSettings } from './settings.js';
import { createAdobeCommerceShipments } from './shipments.js';

/**
 * One Adobe Commerce store view's connector: orders by polling (Adobe Commerce has no order
 * webhooks in its REST API, so `webhooks` is absent), availability to MSI source items, and
 * shipments through `POST /V1/order/{id}/ship`.
 */
export function createAdobeCommerceConnector(instance: ChannelInstanceConfig<AdobeCommerceSettings>, deps: ChannelDeps): ChannelConnector {
  const settings = resolveSettings(instance.settings);
  const client = new AdobeCommerceClient(deps, { instance: instance.id, baseUrl: settings.baseUrl, accessToken: settings.accessToken });
  return {
    instance: instance.id,
    type: instance.type,
    polling: createAdobeCommercePolling({
      client,
      clock: deps.clock,
      logger: deps.logger,
      pageSize: settings.pageSize,
      overlapSeconds: settings.overlapSeconds,
      pollStartAt: settings.pollStartAt,
    }),
    availability: createAdobeCommerceAvailability({
      client,
      system: instance.id,
      batchSize: settings.availabilityBatchSize,
      sources: settings.sources,
      defaultSource: settings.defaultSource,
    }),
    shipments: createAdobeCommerceShipments({
      client,
      system: instance.id,
      carrierCodes: settings.carrierCodes,
      notify: settings.notifyCustomer,
      sources: settings.sources,
    }),
  };
}
