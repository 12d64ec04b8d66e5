import { adobeCommerceChannel } from '../connectors/adobe-commerce/index.js';
import { amazonChannel } from '../connectors/amazon/index.js';
import { bigcommerceChannel } from '../connectors/bigcommerce/index.js';
import { shopifyChannel } from '../connectors/shopify/index.js';
import { woocommerceChannel } from '../connectors/woocommerce/index.js';
import type { ChannelType } from './types.js';

/** Every channel type crossdock ships with. A new channel is a connector folder and one line here. */
export const CHANNEL_TYPES: readonly ChannelType[] = [
  shopifyChannel as unknown as ChannelType,
  adobeCommerceChannel as unknown as ChannelType,
  bigcommerceChannel as unknown as ChannelType,
  woocommerceChannel as unknown as ChannelType,
  amazonChannel as unknown as ChannelType,
];

export function channelType(type: string): ChannelType | undefined {
  return CHANNEL_TYPES.find((t) => t.type === type);
}
