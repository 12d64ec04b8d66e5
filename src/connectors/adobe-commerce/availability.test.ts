import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startAdobeCommerceFake, type AdobeCommerceFake } from '../../../test/fakes/adobe-commerce/server.js';
import { connectorFor, ctx } from '../../../test/fakes/adobe-commerce/harness.js';

let fake: AdobeCommerceFake;
beforeEach(async () => { fake = await startAdobeCommerceFake(); });
afterEach(async () => fake.close());
const sink = (settings = {}) => connectorFor(fake, settings).availability!;
const skus = (...names: string[]) => names.map((sku) => ({ sku, available: 3 }));

describe('Adobe Commerce availability', () => {
  it('publishes MSI source items: mapped SKU and source, status 1 only when something is available', async () => {
    fake.knobs.sources.add('dallas');
    const result = await sink({ sources: { DAL: 'dallas' } }).publish([{ sku: 'A', available: 5, location: 'DAL' }, { sku: 'MAG-B', available: 0 }], ctx);
    expect(fake.callsTo('/V1/inventory/source-items')[0]!.body).toEqual({
      sourceItems: [{ sku: 'A', source_code: 'dallas', quantity: 5, status: 1 }, { sku: 'MAG-B', source_code: 'default', quantity: 0, status: 0 }],
    });
    expect([...fake.state.sourceItems.values()]).toEqual([
      { sku: 'A', source_code: 'dallas', quantity: 5, status: 1 },
      { sku: 'MAG-B', source_code: 'default', quantity: 0, status: 0 },
    ]);
    expect(result).toEqual({ detail: { saved: 2, calls: 1 } });
  });

  it('sends an unmapped location to the default source and says so', async () => {
    const result = await sink({ defaultSource: 'default' }).publish([{ sku: 'A', available: 1, location: 'NOWHERE' }], ctx);
    expect(result.detail).toEqual({ saved: 1, calls: 1, unmappedLocations: ['NOWHERE'], sentTo: 'default' });
    expect(fake.state.sourceItems.get('A|default')?.quantity).toBe(1);
  });

  it('re-sends in batches of the store\'s Web API input limit', async () => {
    fake.knobs.maxInputItems = 2;
    const result = await sink().publish(skus('A', 'B', 'C', 'D', 'E'), ctx);
    expect(result).toEqual({ detail: { saved: 5, calls: 4 } });
    expect(fake.callsTo('/V1/inventory/source-items').map((c) => [c.status, (c.body as { sourceItems: unknown[] }).sourceItems.length])).toEqual([[400, 5], [200, 2], [200, 2], [200, 1]]);
  });

  it('rejects the SKUs Magento names and saves the rest', async () => {
    fake.knobs.unknownSkus.add('X');
    const result = await sink().publish(skus('A', 'X', 'B'), ctx);
    expect(result.rejected).toEqual([{ sku: 'X', reason: 'Validation Failed; Product with SKU "X" does not exist.' }]);
    expect([...fake.state.sourceItems.keys()]).toEqual(['A|default', 'B|default']);
  });

  it('isolates a refused item by halving the batch when the error names none', async () => {
    fake.knobs.unknownSkus.add('X');
    fake.knobs.anonymousSkuErrors = true;
    const result = await sink().publish(skus('A', 'B', 'C', 'X'), ctx);
    expect(result).toEqual({ detail: { saved: 3, calls: 5 }, rejected: [{ sku: 'X', reason: 'Could not save Source Item' }] });
  });

  it('refuses the batch as a contract problem when every half fails (an unknown source)', async () => {
    const updates = Array.from({ length: 100 }, (_, i) => ({ sku: `S${i}`, available: 1, location: 'DAL' }));
    await expect(sink({ sources: { DAL: 'missing-source' } }).publish(updates, ctx)).rejects.toMatchObject({
      code: 'target.rejected', message: 'Adobe Commerce refused the source items: Could not save Source Item',
    });
    expect(fake.state.sourceItems.size).toBe(0);
    expect(fake.callsTo('/V1/inventory/source-items').length).toBeLessThanOrEqual(34);
  });

  it('declares its batch size, and turns a refused token into channel.unauthorized', async () => {
    expect(sink().maxBatch).toBe(500);
    expect(sink({ availabilityBatchSize: 20 }).maxBatch).toBe(20);
    await expect(sink({ accessToken: 'bad' }).publish(skus('A'), ctx)).rejects.toMatchObject({
      code: 'channel.unauthorized', message: "Adobe Commerce answered sourceItems.save with HTTP 401: The consumer isn't authorized to access Magento_InventoryApi::source.",
    });
  });
});
