import type { ChannelType } from '../../channels/types.js';
import { createShopifyConnector } from './connector.js';
import { identifyShopifyOrder, shopifyOrderToOrder } from './mapping.js';
import { ShopifySettings } from './settings.js';

export type { ShopifySettings } from './settings.js';
export { shopifyWebhookSignature } from './webhook.js';

/**
 * Shopify (Admin API): orders in by `orders/*` webhooks and catch-up polling of the REST
 * orders list, availability out by `inventorySetQuantities`, shipments out by `fulfillmentCreate`.
 */
export const shopifyChannel: ChannelType<ShopifySettings> = {
  type: 'shopify',
  title: 'Shopify',
  settingsSchema: ShopifySettings,
  mapOrder: shopifyOrderToOrder,
  identify: identifyShopifyOrder,
  create: createShopifyConnector,
};
