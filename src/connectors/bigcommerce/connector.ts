import type { ChannelConnector, ChannelDeps, ChannelInstanceConfig } from '../../channels/types.js';
import { bigCommerceAvailability } from './availability.js';
import { BigCommerceClient } from './client.js';
import { bigCommercePolling } from './polling.js';
import { type BigCommerceSettings, resolveSettings } from './settings.js';
import { bigCommerceShipments } from './shipments.js';
import { bigCommerceWebhooks } from './webhook.js';

/** One BigCommerce store: webhooks and polling in, availability and shipments out. */
export function createBigCommerceConnector(instance: ChannelInstanceConfig<BigCommerceSettings>, deps: ChannelDeps): ChannelConnector {
  const settings = resolveSettings(instance.settings);
  const client = new BigCommerceClient(settings, deps);
  return {
    instance: instance.id,
    type: 'bigcommerce',
    webhooks: bigCommerceWebhooks(settings, client),
    polling: bigCommercePolling(settings, client, deps.clock),
    availability: bigCommerceAvailability(settings, client),
    shipments: bigCommerceShipments(client),
  };
}
