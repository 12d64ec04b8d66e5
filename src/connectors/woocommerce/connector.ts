import type { ChannelConnector, ChannelDeps, ChannelInstanceConfig } from '../../channels/types.js';
import { createWooAvailabilitySink } from './availability.js';
import { WooClient } from './client.js';
import { createWooPolling } from './polling.js';
import { SETTINGS_DEFAULTS, type WooCommerceSettings } from './settings.js';
import { createWooShipmentSink } from './shipments.js';
import { createWooWebhookSource } from './webhook.js';

export const WOOCOMMERCE_TYPE = 'woocommerce';

/** One WooCommerce store: webhooks and catch-up polling in, availability and shipments out. */
export function createWooCommerceConnector(instance: ChannelInstanceConfig<WooCommerceSettings>, deps: ChannelDeps): ChannelConnector {
  const { settings } = instance;
  if (!/^https:\/\//i.test(settings.baseUrl) && !isLoopback(settings.baseUrl)) {
    // Basic auth is only accepted over HTTPS; over HTTP WooCommerce expects OAuth 1.0a.
    deps.logger.warn({ channel: instance.id }, 'WooCommerce baseUrl is not HTTPS: the store will refuse Basic authentication');
  }
  const client = WooClient.create(deps, settings);
  return {
    instance: instance.id,
    type: WOOCOMMERCE_TYPE,
    webhooks: createWooWebhookSource({ secret: settings.webhookSecret ?? settings.consumerSecret, client }),
    polling: createWooPolling({
      client,
      clock: deps.clock,
      lookbackMinutes: settings.pollLookbackMinutes ?? SETTINGS_DEFAULTS.pollLookbackMinutes,
      overlapSeconds: settings.overlapSeconds ?? SETTINGS_DEFAULTS.overlapSeconds,
      ...(settings.pollStartAt ? { pollStartAt: settings.pollStartAt } : {}),
    }),
    availability: createWooAvailabilitySink({ client }),
    shipments: createWooShipmentSink({ client, completeOnShipment: settings.completeOnShipment ?? SETTINGS_DEFAULTS.completeOnShipment }),
  };
}

function isLoopback(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || host === '[::1]' || host.startsWith('127.');
  } catch {
    return false;
  }
}
