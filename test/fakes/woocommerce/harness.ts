import { readFileSync } from 'node:fs';
import { testChannelDeps } from '../../support/channel-deps.js';
import type { ChannelConnector } from '../../../src/channels/types.js';
import { startWooCommerceFake, wpDate, type WooFake, type WooFakeOptions } from './server.js';
import { woocommerceChannel } from '../../../src/connectors/woocommerce/index.js';
import type { WooCommerceSettings } from '../../../src/connectors/woocommerce/settings.js';

/** For tests of the WooCommerce connector: its fixtures, a fake store and a connector pointed at it. */
export const ctx = { correlationId: 'test-correlation' };

export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../../src/connectors/woocommerce/fixtures/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

/** The reference order as order `id`, last modified at `modifiedMs`. */
export function orderAt(id: number, modifiedMs: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...fixture('order-guest.json'), id, number: String(id), date_modified_gmt: wpDate(modifiedMs), ...extra };
}

export async function storeAndConnector(
  settings: Partial<WooCommerceSettings> = {},
  fakeOptions: WooFakeOptions = {},
  protection: Parameters<typeof testChannelDeps>[1] = {},
): Promise<{ store: WooFake; connector: ChannelConnector; deps: ReturnType<typeof testChannelDeps> }> {
  const store = await startWooCommerceFake({ consumerKey: 'ck_live', consumerSecret: 'cs_live', webhookSecret: 'whsec', ...fakeOptions });
  const deps = testChannelDeps('woo-us', protection);
  const connector = woocommerceChannel.create(
    { id: 'woo-us', type: 'woocommerce', settings: { baseUrl: store.url, consumerKey: 'ck_live', consumerSecret: 'cs_live', webhookSecret: 'whsec', ...settings } },
    deps,
  );
  return { store, connector, deps };
}
