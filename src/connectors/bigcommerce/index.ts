import type { ChannelType } from '../../channels/types.js';
import { createBigCommerceConnector } from './connector.js';
import { identifyDocument } from './document.js';
import { bigCommerceOrderToOrder } from './mapping.js';
import { BigCommerceSettings } from './settings.js';

/**
 * The BigCommerce channel: v2 Orders API in (webhooks that carry only an order id, resolved by
 * reading the order; polling by `date_modified` for catch-up), v3 Inventory API absolute
 * adjustments and v2 order shipments out.
 */
export const bigcommerceChannel: ChannelType<BigCommerceSettings> = {
  type: 'bigcommerce',
  title: 'BigCommerce',
  settingsSchema: BigCommerceSettings,
  mapOrder: bigCommerceOrderToOrder,
  identify: identifyDocument,
  create: createBigCommerceConnector,
};

export type { BigCommerceSettings } from './settings.js';
export type { BigCommerceOrderDocument } from './document.js';
