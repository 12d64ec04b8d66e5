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

describe('crossdock edi map and ack', () => {
  const profile = join(dir, 'buyerco.yaml');
  writeFileSync(profile, ['partnerId: buyerco', 'customerAccount: C-100', 'items:', '  "VN:WID-100": SKU-1', '  "VN:WID-200": { sku: SKU-2, uom: EA }'].join('\n'));

  it('maps an 850 to the canonical order through the partner profile', async () => {
    const { out, code } = await run('edi', 'map', 'src/edi/x12/fixtures/850-star-colon-tilde.edi', '--profile', profile);
    expect(code).toBe(0);
    const [interchange] = JSON.parse(out) as { sets: { id: string; status: string; document: { kind: string; order: { channel: string; poNumber: string; customer: { accountId: string }; lines: { sku: string; quantity: number; unitPrice: string; lineId: string }[] } } }[] }[];
    const set = interchange!.sets[0]!;
    expect(set).toMatchObject({ id: '850', status: 'accepted', document: { kind: 'order' } });
    expect(set.document.order).toMatchObject({ channel: 'buyerco', poNumber: 'PO-4521', customer: { accountId: 'C-100' } });
    expect(set.document.order.lines.map((l) => [l.lineId, l.sku, l.quantity])).toEqual([['1', 'SKU-1', 6], ['2', 'SKU-2', 12]]);
  });

  it('prints a 997 accepting the group, addressed back to the sender', async () => {
    const { out, code } = await run('edi', 'ack', 'src/edi/x12/fixtures/850-star-colon-tilde.edi', '--profile', profile);
    expect(code).toBe(0);
    expect(out).toMatch(/^ISA\*00\*.{10}\*00\*.{10}\*ZZ\*CROSSDOCK {6}\*ZZ\*BUYERCO {8}\*/);
    expect(out).toContain('GS*FA*CROSSDOCK*BUYERCO*');
    expect(out).toContain('AK1*PO*1~');
    expect(out).toContain('AK2*850*0001~');
    expect(out).toContain('AK5*A~');
    expect(out).toContain('AK9*A*1*1*1~');
  });

  it('rejects only the set whose envelope is wrong in the 997, with the reason, and exits 1', async () => {
    const { out: written, err, code } = await run('edi', 'ack', 'src/edi/x12/fixtures/bad-se-count.edi');
    // Written with the partner's line ending after each segment.
    const out = written.replaceAll('\n', '');
    expect(code).toBe(1);
    expect(out).toMatch(/AK2\*850\*0001~(AK3[^~]*~AK4[^~]*~)?AK5\*R\*4~/);
    expect(out).toMatch(/AK2\*850\*0002~AK5\*A~/);
    expect(out).toMatch(/AK9\*P\*2\*2\*1~/);
    expect(err).toContain('se.count-mismatch');
  });

  it('answers an interchange that is broken as a whole with a TA1 that says why', async () => {
    const { out, code } = await run('edi', 'ack', 'src/edi/x12/fixtures/bad-iea.edi');
    expect(code).toBe(1);
    expect(out).toMatch(/TA1\*\d{9}\*\d{6}\*\d{4}\*R\*0(01|21)~/);
    expect(out).not.toContain('AK1');
  });
});

describe('crossdock config check', () => {
  it('validates channel and EDI settings and never prints a credential', async () => {
    const config = join(dir, 'secrets.yaml');
    writeFileSync(config, [
      'channels:',
      '  - id: shopify-us',
      '    type: shopify',
      '    settings: { shopDomain: acme.myshopify.com, accessToken: shpat_SECRET1, webhookSecret: SECRET2 }',
      'edi:',
      '  identity: { isaQualifier: ZZ, isaId: CROSSDOCK }',
      '  partners:',
      '    - id: buyerco',
      '      isaQualifier: ZZ',
      '      isaId: BUYERCO',
      '      httpToken: SECRET3-0123456789abcdef',
      '      transport: { type: sftp, host: sftp.example, username: dist, privateKey: SECRET4, folders: { inbound: /i, outbound: /o, processed: /p, rejected: /r } }',
      'erp:',
      '  url: tryton+http://crossdock:SECRET5@tryton.example:8000/sales',
    ].join('\n'));
    const { out, code } = await run('config', 'check', config);
    expect(code).toBe(0);
    expect(out).toContain('"shopDomain": "acme.myshopify.com"');
    expect(out).toContain('"host": "sftp.example"');
    expect(out).toContain('"database": "sales"');
    expect(out).not.toMatch(/SECRET\d/);
  });

  it('names a channel setting that does not match its type', async () => {
    const config = join(dir, 'bad-channel.yaml');
    writeFileSync(config, ['channels:', '  - id: shopify-us', '    type: shopify', '    settings: { accessToken: x }'].join('\n'));
    const { err, code } = await run('config', 'check', config);
    expect(code).toBe(1);
    expect(err).toContain('/channels/0/settings');
  });
});
