import type { ChannelType } from '../../channels/types.js';
import { createAmazonConnector } from './connector.js';
import { amazonOrderToOrder, identifyAmazonOrder } from './mapping.js';
import { AmazonSettings, resolveSettings } from './settings.js';

/**
 * Amazon Selling Partner API channel: orders polled from the Orders API v0 (getOrders +
 * getOrderItems, buyer data through a Restricted Data Token), shipments confirmed with
 * confirmShipment, availability patched with the Listings Items API 2021-08-01.
 */
export const amazonChannel: ChannelType<AmazonSettings> = {
  type: 'amazon',
  title: 'Amazon (Selling Partner API)',
  settingsSchema: AmazonSettings,
  mapOrder: amazonOrderToOrder,
  identify: identifyAmazonOrder,
  create: (instance, deps) => createAmazonConnector(instance.id, resolveSettings(instance.settings), deps),
};
