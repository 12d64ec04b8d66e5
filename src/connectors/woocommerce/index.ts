import type { ChannelType } from '../../channels/types.js';
import { createWooCommerceConnector, WOOCOMMERCE_TYPE } from './connector.js';
import { identifyWooOrder, woocommerceOrderToOrder } from './mapping.js';
import { WooCommerceSettings } from './settings.js';

export { WooCommerceSettings } from './settings.js';

/**
 * WooCommerce (REST API v3, `/wp-json/wc/v3`): order webhooks (order.created, order.updated,
 * order.deleted, order.restored) and polling by modification time in; stock levels and
 * shipment notes out. See README.md for the choices behind each part.
 */
export const woocommerceChannel: ChannelType<WooCommerceSettings> = {
  type: WOOCOMMERCE_TYPE,
  title: 'WooCommerce',
  settingsSchema: WooCommerceSettings,
  mapOrder: woocommerceOrderToOrder,
  identify: identifyWooOrder,
  create: createWooCommerceConnector,
};
