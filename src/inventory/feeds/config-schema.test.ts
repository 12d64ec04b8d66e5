import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig, validateConfig } from '../../config/config.js';
import { PolicyRegistry } from '../../protect/registry.js';
import type { RateBudgetStore } from '../../store/types.js';
import { resolveInventoryFeeds, type InventoryFeedFile } from './config-schema.js';
import { buildInventoryFeeds } from './feeds.js';

function resolve(feeds: InventoryFeedFile[], env: NodeJS.ProcessEnv = {}) {
  const problems: string[] = [];
  const settings = resolveInventoryFeeds(feeds, env, problems);
  return { settings, problems };
}

describe('inventory feed configuration', () => {
  it('applies the defaults: snapshot, comma, columns under the field names, a poll every 5 minutes', () => {
    const { settings, problems } = resolve([{ id: 'rno', httpToken: 'a-token-of-20-chars!' }]);
    expect(problems).toEqual([]);
    expect(settings[0]).toMatchObject({ id: 'rno', mode: 'snapshot', delimiter: ',', skus: {}, locations: {}, pollIntervalSeconds: 300, transport: undefined });
    expect(settings[0]!.columns.onHand).toEqual({ header: 'onHand', configured: false });
  });

  it('reads env: references of the token and the transport, naming the path of a missing variable', () => {
    const { settings, problems } = resolve([{
      id: 'rno', httpToken: 'env:RNO_TOKEN',
      transport: { type: 'sftp', privateKey: 'env:RNO_KEY', password: 'env:RNO_PASSWORD', folders: { inbound: '/out' } },
    }], { RNO_TOKEN: 'x'.repeat(24), RNO_KEY: '-----BEGIN OPENSSH PRIVATE KEY-----' });
    expect(settings[0]!.httpToken).toBe('x'.repeat(24));
    expect(settings[0]!.transport).toMatchObject({ privateKey: '-----BEGIN OPENSSH PRIVATE KEY-----', folders: { inbound: '/out' } });
    expect(problems).toEqual(['/inventory/feeds/0/transport/password: environment variable RNO_PASSWORD is not set']);
  });

  it('names each mistake with its path', () => {
    const { problems } = resolve([
      { id: 'a', httpToken: 'short' },
      { id: 'a', columns: { sku: 'Item', onHand: 'Qty', allocated: ' qty ' }, httpToken: 'a-token-of-20-chars!' },
      { id: 'b', columns: { location: 'Site', onHand: 'Qty' } },
      { id: 'c', mode: 'set', columns: { sku: 'Item', uom: 'UOM' }, location: 'DC1', httpToken: 'a-token-of-20-chars!' },
      { id: 'd', columns: { sku: 'Item', allocated: 'Alloc' }, httpToken: 'a-token-of-20-chars!' },
    ]);
    expect(problems).toEqual([
      '/inventory/feeds/0/httpToken: at least 16 characters, so it cannot be guessed',
      '/inventory/feeds/1/id: a is used by another feed',
      '/inventory/feeds/1/columns/allocated: column "qty" is already read as onHand',
      "/inventory/feeds/1/location: name columns.location or give the feed's location",
      '/inventory/feeds/2/columns/sku: the SKU column is required',
      '/inventory/feeds/2: give httpToken, transport or both, or the feed receives nothing',
      '/inventory/feeds/3/columns: name at least one of onHand, allocated, inTransit, expectedAt, or the files say nothing',
      '/inventory/feeds/4/columns/onHand: a snapshot needs the on-hand column',
      "/inventory/feeds/4/location: name columns.location or give the feed's location",
    ]);
  });

  it('is part of the configuration file, which refuses unknown keys and stops start-up on a bad feed', () => {
    expect(() => validateConfig({ inventory: { feeds: [{ id: 'rno', httpToken: 'a-token-of-20-chars!', colums: {} }] } })).toThrow(ConfigError);
    expect(() => validateConfig({ inventory: { feeds: [{ id: 'rno', mode: 'full' }] } })).toThrow(/mode/);
    expect(() => resolveConfig({ inventory: { feeds: [{ id: 'rno', httpToken: 'env:NOPE' }] } }, {}, {})).toThrow(/\/inventory\/feeds\/0\/httpToken/);
    const config = resolveConfig({ inventory: { feeds: [{ id: 'rno', httpToken: 'env:T', mode: 'delta' }] } }, {}, { T: 't'.repeat(16) });
    expect(config.inventory.feeds[0]).toMatchObject({ id: 'rno', mode: 'delta', httpToken: 't'.repeat(16) });
  });
});

// Never called: these tests only build feeds.
const budget = {} as RateBudgetStore;
const policies = () => new PolicyRegistry({}, { budget, clock: { now: () => 0 } });

describe('buildInventoryFeeds', () => {
  it('builds a folder pick-up without an outbound folder: feeds only read', async () => {
    const { settings } = resolve([{ id: 'rno', transport: { type: 'directory', folders: { inbound: '/tmp/in', processed: '/tmp/done', rejected: '/tmp/bad' } } }]);
    const feed = buildInventoryFeeds(settings, policies()).get('rno');
    expect(feed?.pickUp?.via).toBe('directory');
    await feed?.pickUp?.close();
  });

  it('stops start-up listing every transport problem with its path', () => {
    const { settings } = resolve([
      { id: 'a', transport: { type: 'ftp', folders: { inbound: '/in', processed: '/done', rejected: '/bad' } } },
      { id: 'b', transport: { type: 'sftp', host: 'sftp.3pl.example', username: 'acme', folders: { inbound: '/in', processed: '/in', rejected: '/bad' } } },
    ]);
    let error: unknown;
    try {
      buildInventoryFeeds(settings, policies());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      '/inventory/feeds/0/transport/type: must be sftp or directory, not ftp',
      '/inventory/feeds/1/transport/folders/processed: the same folder as inbound',
      '/inventory/feeds/1/transport/privateKey: privateKey or password is required',
    ]);
  });
});
