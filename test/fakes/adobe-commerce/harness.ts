/** Test harness shared by the Adobe Commerce connector tests (and usable by e2e tests): a connector wired to the fake. */
import type { CallContext } from '../../../src/connectors/capabilities.js';
import type { ChannelConnector } from '../../../src/channels/types.js';
import { testChannelDeps } from '../../support/channel-deps.js';
import type { AdobeCommerceFake } from './server.js';
import { fixture } from '../../../src/connectors/adobe-commerce/fixtures/load.js';
import type { Json } from '../../../src/connectors/adobe-commerce/document.js';
import { adobeCommerceChannel } from '../../../src/connectors/adobe-commerce/index.js';
import type { AdobeCommerceSettings } from '../../../src/connectors/adobe-commerce/settings.js';

export const ctx: CallContext = { correlationId: 'test-adobe-commerce' };

/** The connector of instance `magento-us` against `fake`, with real (fast) protection policies. */
export function connectorFor(fake: AdobeCommerceFake, settings: Partial<AdobeCommerceSettings> = {}): ChannelConnector {
  const deps = testChannelDeps('magento-us');
  return adobeCommerceChannel.create(
    { id: 'magento-us', type: 'adobe-commerce', settings: { baseUrl: fake.url, accessToken: fake.token, ...settings } },
    deps,
  );
}

/** A copy of a fixture order with another entity_id and updated_at (Magento time). */
export function orderAt(entityId: number, updatedAt: string, name = 'order-guest-simple'): Json {
  return { ...fixture(name), entity_id: entityId, increment_id: String(entityId).padStart(9, '0'), updated_at: updatedAt };
}
