import { afterAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildProgram } from '../../src/cli/program.js';

/** `crossdock map <channel> order FILE`: the integration engineer's dry run of a mapping. */
const dir = mkdtempSync(join(tmpdir(), 'crossdock-map-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  process.exitCode = 0;
});

async function run(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  const out: string[] = [];
  const err: string[] = [];
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c) => (out.push(String(c)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c) => (err.push(String(c)), true));
  process.exitCode = 0;
  try {
    await buildProgram().exitOverride().parseAsync(['node', 'crossdock', ...args]);
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { out: out.join(''), err: err.join(''), code };
}

const fixture = (channel: string, name: string) => join('src/connectors', channel, 'fixtures', name);

describe('crossdock map', () => {
  it('prints the canonical order a Shopify order maps to', async () => {
    const { out, code } = await run('map', 'shopify', 'order', fixture('shopify', 'order-basic.json'));
    expect(code).toBe(0);
    const { order } = JSON.parse(out) as { order: { channelOrderId: string; lines: { sku: string; quantity: number }[] } };
    expect(order.channelOrderId).toBe('450789469');
    expect(order.lines.map((l) => [l.sku, l.quantity])).toEqual([['IPOD2008GREEN', 1], ['IPOD2008RED', 2]]);
  });

  it('lists every problem of an unmappable document by field and exits 1', async () => {
    const { err, code, out } = await run('map', 'shopify', 'order', fixture('shopify', 'order-unmappable.json'));
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toContain('line_items[0].quantity');
    expect(err).toContain('shipping_address');
  });

  it('applies the cross-references of a configured instance with --config', async () => {
    const config = join(dir, 'crossdock.yaml');
    writeFileSync(config, [
      'channels:',
      '  - id: shopify-us',
      '    type: shopify',
      '    settings: { shopDomain: acme.myshopify.com, accessToken: x, webhookSecret: y }',
      '    skus: { IPOD2008GREEN: SKU-1, IPOD2008RED: { sku: SKU-2, uom: EA, factor: 12 } }',
      '    defaultCustomer: WEB-RETAIL',
    ].join('\n'));
    const { out, code } = await run('map', 'shopify', 'order', fixture('shopify', 'order-basic.json'), '--config', config);
    expect(code).toBe(0);
    const { order } = JSON.parse(out) as { order: { channel: string; customer: { accountId: string }; lines: { sku: string; quantity: number; channelSku?: string }[] } };
    expect(order.channel).toBe('shopify-us');
    expect(order.lines.map((l) => [l.sku, l.quantity, l.channelSku])).toEqual([['SKU-1', 1, 'IPOD2008GREEN'], ['SKU-2', 24, 'IPOD2008RED']]);
  });

  it('refuses a file that is not JSON, naming it', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"id": 1,');
    const { err, code } = await run('map', 'woocommerce', 'order', bad);
    expect(code).toBe(1);
    expect(err).toContain('bad.json');
  });

  it('refuses an unknown channel and lists the known ones', async () => {
    const { err, code } = await run('map', 'etsy', 'order', fixture('shopify', 'order-basic.json'));
    expect(code).toBe(1);
    expect(err).toMatch(/unknown channel etsy; known: .*shopify/);
  });
});

describe('crossdock edi parse', () => {
  it('prints envelopes, groups, sets and segments with positions', async () => {
    const { out, code } = await run('edi', 'parse', 'src/edi/x12/fixtures/850-star-colon-tilde.edi');
    expect(code).toBe(0);
    const { interchanges } = JSON.parse(out) as { interchanges: { isa: { controlNumber: string }; groups: { sets: { id: string; segments: { tag: string; position: { setIndex: number } }[] }[] }[] }[] };
    const set = interchanges[0]!.groups[0]!.sets[0]!;
    expect(set.id).toBe('850');
    expect(set.segments[0]).toMatchObject({ tag: 'ST', position: { setIndex: 1 } });
    expect(set.segments.at(-1)!.tag).toBe('SE');
  });

  it('names the control numbers and the segment of an envelope error, and exits 1', async () => {
    const { err, code } = await run('edi', 'parse', 'src/edi/x12/fixtures/bad-se-count.edi');
    expect(code).toBe(1);
    expect(err).toMatch(/\[se\.count-mismatch\] interchange \d+, group \d+, set \d+ \(850\): SE01 says \d+ segments/);
  });
});
