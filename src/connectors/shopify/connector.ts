import type { ChannelConnector, ChannelDeps, ChannelInstanceConfig } from '../../channels/types.js';
import { createShopifyAvailability } from './availability.js';
import { createShopifyClient } from './client.js';
import { createShopifyPolling } from './polling.js';
import { resolveSettings, type ShopifySettings } from './settings.js';
import { createShopifyShipments } from './shipments.js';
import { createShopifyWebhooks } from './webhook.js';

/** One Shopify shop's connector: webhooks and polling in, availability and fulfillments out. */
export function createShopifyConnector(instance: ChannelInstanceConfig<ShopifySettings>, deps: ChannelDeps): ChannelConnector {
  const settings = resolveSettings(instance.settings);
  const client = createShopifyClient(settings, deps);
  return {
    instance: instance.id,
    type: 'shopify',
    webhooks: createShopifyWebhooks(settings, client),
    polling: createShopifyPolling(settings, client, deps),
    availability: createShopifyAvailability(settings, client),
    shipments: createShopifyShipments(settings, client, deps),
  };
}
