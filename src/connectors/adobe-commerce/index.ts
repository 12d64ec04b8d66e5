import type { ChannelType } from '../../channels/types.js';
import { createAdobeCommerceConnector } from './connector.js';
import { adobeCommerceOrderToOrder, identifyAdobeCommerceOrder } from './mapping.js';
import { AdobeCommerceSettings } from './settings.js';

/**
 * Adobe Commerce (Magento 2) as a sales channel: orders polled from `GET /V1/orders`,
 * availability to MSI source items, shipments with tracking. See README.md.
 */
export const adobeCommerceChannel: ChannelType<AdobeCommerceSettings> = {
  type: 'adobe-commerce',
  title: 'Adobe Commerce',
  settingsSchema: AdobeCommerceSettings,
  mapOrder: adobeCommerceOrderToOrder,
  identify: identifyAdobeCommerceOrder,
  create: createAdobeCommerceConnector,
};

export type { AdobeCommerceSettings } from './settings.js';
