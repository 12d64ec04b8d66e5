import { readFileSync } from 'node:fs';
import type { ChannelConnector, ChannelDeps } from '../../channels/types.js';
import type { CallContext } from '../capabilities.js';
import { bigcommerceChannel, type BigCommerceSettings } from './index.js';

/** Test helpers shared by this folder's tests (not used by the connector). */
export type FixtureDocument = {
  order: Record<string, unknown>;
  products: Record<string, unknown>[];
  shippingAddresses: Record<string, unknown>[];
  coupons: Record<string, unknown>[];
};

export const WEBHOOK_SECRET = 'shared-secret-0123456789';

export const ctx: CallContext = { correlationId: 'test' };

export function fixture(name: string): FixtureDocument {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as FixtureDocument;
}

export function connectorFor(fake: { url: string; accessToken: string; storeHash: string }, deps: ChannelDeps, settings: Partial<BigCommerceSettings> = {}): ChannelConnector {
  return bigcommerceChannel.create(
    {
      id: 'bc-test',
      type: 'bigcommerce',
      settings: { storeHash: fake.storeHash, apiBaseUrl: fake.url, accessToken: fake.accessToken, webhookSecret: WEBHOOK_SECRET, ...settings },
    },
    deps,
  );
}
