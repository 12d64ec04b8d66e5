import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import { testChannelDeps } from '../../../test/support/channel-deps.js';
import { adobeCommerceChannel } from './index.js';

describe('adobeCommerceChannel', () => {
  it('names itself and accepts a documented instance configuration', () => {
    expect([adobeCommerceChannel.type, adobeCommerceChannel.title]).toEqual(['adobe-commerce', 'Adobe Commerce']);
    const check = Compile(adobeCommerceChannel.settingsSchema);
    expect(check.Check({
      baseUrl: 'https://shop.example.com/rest/default', accessToken: 'env:MAGENTO_TOKEN', pageSize: 100, pollStartAt: '2024-05-01T00:00:00Z',
      overlapSeconds: 120, sources: { DAL: 'dallas' }, defaultSource: 'default', carrierCodes: { UPS: 'ups' }, notifyCustomer: true,
    })).toBe(true);
    expect(check.Check({ baseUrl: 'https://shop.example.com/rest/default' })).toBe(false);
    expect(check.Check({ baseUrl: 'x', accessToken: 'y', webhookSecret: 'z' })).toBe(false);
  });

  it('polls, publishes availability and shipments, and has no webhooks', () => {
    const connector = adobeCommerceChannel.create(
      { id: 'magento-us', type: 'adobe-commerce', settings: { baseUrl: 'http://127.0.0.1:9/rest/default', accessToken: 't' } },
      testChannelDeps('magento-us'),
    );
    expect(connector.instance).toBe('magento-us');
    expect(connector.webhooks).toBeUndefined();
    expect(connector.polling).toBeDefined();
    expect(connector.availability?.maxBatch).toBe(500);
    expect(connector.shipments).toBeDefined();
  });
});
