import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseX12 } from '../../src/edi/x12/index.js';
import { makeTestApp, type TestApp } from '../support/app.js';
import { waitFor } from '../support/exactly-once.js';

/**
 * The order-to-cash documents with two partners on shared folders: a retailer's 850 becomes an
 * order posted to the ERP, acknowledged with an 855 and sent to the 3PL as a 940; the 3PL's 945
 * becomes the shipment, which reaches the retailer as an 856; the invoice goes out as an 810.
 * Every file crossdock writes is a valid interchange with correct counts, and control numbers
 * per partner are never reused. The retailer's 997 closes the 856's group.
 */
const PO_850 = readFileSync(new URL('../../src/edi/x12/fixtures/850-star-colon-tilde.edi', import.meta.url), 'utf8');
const root = mkdtempSync(join(tmpdir(), 'crossdock-edi-loop-'));
const folders = (partner: string) => {
  const f = { inbound: join(root, partner, 'in'), outbound: join(root, partner, 'out'), processed: join(root, partner, 'done'), rejected: join(root, partner, 'bad') };
  for (const path of Object.values(f)) mkdirSync(path, { recursive: true });
  return f;
};
const buyer = folders('buyerco');
const threePl = folders('dc-east');

let t: TestApp;
let url: string;

beforeAll(async () => {
  t = await makeTestApp({
    worker: { pollMs: 20, backoffMs: 50 },
    protection: { erp: { ratePerSecond: 1000 } },
    edi: {
      identity: { isaQualifier: 'ZZ', isaId: 'CROSSDOCK' },
      partners: [
        {
          id: 'buyerco', isaQualifier: 'ZZ', isaId: 'BUYERCO', pollIntervalSeconds: 1,
          transport: { type: 'directory', folders: buyer, settleMs: 0 },
          mapping: { customerAccount: 'C-100', items: { 'VN:WID-100': 'SKU-1', 'VN:WID-200': 'SKU-2' }, defaults: { skuQualifier: 'VN' } },
        },
        {
          id: 'dc-east', isaQualifier: 'ZZ', isaId: 'DCEAST', pollIntervalSeconds: 1, fulfils: ['buyerco'],
          transport: { type: 'directory', folders: threePl, settleMs: 0 },
          mapping: { defaults: { skuQualifier: 'VN', depositor: { name: 'Crossdock Distribution', idQualifier: '92', id: 'DEP1' } } },
        },
      ],
    },
  });
  url = await t.app.start();
}, 60_000);

afterAll(async () => {
  await t?.dispose();
  rmSync(root, { recursive: true, force: true });
});

/** Files crossdock finished writing: uploads sit under a `.part` name until their rename. */
const files = (dir: string, setId: string) => readdirSync(dir).filter((f) => f.includes(`-${setId}-`) && !f.endsWith('.part')).sort();
const read = (dir: string, name: string) => readFileSync(join(dir, name), 'utf8');
/** Parses a file crossdock wrote: any envelope error (counts, control numbers) throws. */
const interchange = (text: string) => parseX12(text)[0]!;
const segments = (text: string) => interchange(text).groups[0]!.sets[0]!.segments;

async function waitForFile(dir: string, setId: string, count = 1): Promise<string[]> {
  return waitFor(async () => files(dir, setId), (list) => list.length >= count, 20_000, 100);
}

function x945(orderId: string): string {
  const body = [
    'ST*945*0001', `W06*F*${orderId}*20261120*SHP-77**PO-4521`, 'N1*SF*East DC*92*DC1', 'W27*M*UPSN*UPS Ground*PP',
    'LX*1', 'MAN*CP*1Z999AA10123456784', 'W12*CC*6*6*0*EA**VN*SKU-1', 'N9*LI*1',
    'LX*2', 'W12*CC*12*12*0*EA**VN*SKU-2', 'N9*LI*2', 'W03*18*20*LB',
  ];
  const set = [...body, `SE*${body.length + 1}*0001`];
  return ['ISA*00*          *00*          *ZZ*DCEAST         *ZZ*CROSSDOCK      *261120*1500*U*00401*000000077*0*P*:',
    'GS*SW*DCEAST*CROSSDOCK*20261120*1500*77*X*004010', ...set, 'GE*1*77', 'IEA*1*000000077'].join('~\n') + '~\n';
}

describe('EDI order to cash', () => {
  let orderId: string;
  let depositor: string;

  it('posts the 850, acknowledges it with an 855 and a 997, and sends the 3PL a 940', async () => {
    writeFileSync(join(buyer.inbound, 'po.x12'), PO_850);
    const [ackFile] = await waitForFile(buyer.outbound, '855');
    const po855 = segments(read(buyer.outbound, ackFile!));
    expect(po855.find((s) => s.tag === 'BAK')?.elements.slice(0, 3)).toEqual(['00', 'AD', 'PO-4521']);
    expect(po855.filter((s) => s.tag === 'ACK').map((s) => s.elements[0])).toEqual(['IA', 'IA']);
    const [fa] = await waitForFile(buyer.outbound, '997');
    expect(read(buyer.outbound, fa!)).toContain('AK5*A~');

    const [order940] = await waitForFile(threePl.outbound, '940');
    const w05 = segments(read(threePl.outbound, order940!)).find((s) => s.tag === 'W05')!;
    depositor = w05.elements[1]!;
    const page = (await (await fetch(`${url}/v1/messages?q=PO-4521&channel=buyerco`)).json()) as { items: { kind: string; subjectId: string }[] };
    orderId = page.items.find((m) => m.kind === 'order')!.subjectId;
    // The 3PL's depositor order number (22 characters at most) points back at the order.
    expect(depositor.length).toBeLessThanOrEqual(22);
    expect(orderId.endsWith(depositor)).toBe(true);
    const order = (await (await fetch(`${url}/v1/orders/${orderId}`)).json()) as { state: string; channel: string };
    expect(order).toMatchObject({ state: 'posted', channel: 'buyerco' });
  });

  it("turns the 3PL's 945 into the shipment and sends the buyer an 856 with a correct hierarchy", async () => {
    writeFileSync(join(threePl.inbound, 'asn.x12'), x945(depositor));
    const [asn] = await waitForFile(buyer.outbound, '856');
    const notice = segments(read(buyer.outbound, asn!));
    const hl = notice.filter((s) => s.tag === 'HL');
    expect(hl[0]!.elements.slice(0, 3)).toEqual(['1', '', 'S']);
    expect(hl.map((s) => s.elements[2])).toContain('I');
    for (const s of hl.slice(1)) expect(Number(s.elements[1])).toBeLessThan(Number(s.elements[0]));
    expect(notice.find((s) => s.tag === 'CTT')?.elements[0]).toBe(String(hl.length));
    expect(notice.filter((s) => s.tag === 'SN1').map((s) => s.elements[1])).toEqual(['6', '12']);
    const shipped = await waitFor(async () => (await (await fetch(`${url}/v1/orders/${orderId}`)).json()) as { state: string }, (o) => o.state === 'shipped', 10_000);
    expect(shipped.state).toBe('shipped');
    const [fa] = await waitForFile(threePl.outbound, '997');
    expect(read(threePl.outbound, fa!)).toContain('AK1*SW*77~');
  });

  it('sends the invoice as an 810 whose total is in cents, and invoices the order', async () => {
    const invoice = {
      orderId, invoiceId: 'INV-900', number: '900', invoiceDate: '2026-11-21T00:00:00Z', currency: 'USD', total: '127.50',
      lines: [{ lineId: '1', sku: 'SKU-1', quantity: 6, uom: 'EA', unitPrice: '4.25' }, { lineId: '2', sku: 'SKU-2', quantity: 12, uom: 'EA', unitPrice: '8.50' }],
    };
    const post = () => fetch(`${url}/v1/invoices`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(invoice) });
    expect((await post()).status).toBe(202);
    expect((await post()).headers.get('idempotent-replayed')).toBe('true');
    const [inv] = await waitForFile(buyer.outbound, '810');
    const segs = segments(read(buyer.outbound, inv!));
    expect(segs.find((s) => s.tag === 'BIG')?.elements[1]).toBe('900');
    expect(segs.find((s) => s.tag === 'TDS')?.elements[0]).toBe('12750');
    expect(segs.filter((s) => s.tag === 'IT1')).toHaveLength(2);
    await waitFor(async () => (await (await fetch(`${url}/v1/orders/${orderId}`)).json()) as { state: string }, (o) => o.state === 'invoiced', 10_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(files(buyer.outbound, '810')).toHaveLength(1);
  });

  it('takes the good purchase order of a group and rejects only the bad one, saying why in the 997', async () => {
    const mixed = readFileSync(new URL('../../src/edi/x12/fixtures/bad-se-count.edi', import.meta.url), 'utf8');
    const acksBefore = files(buyer.outbound, '997').length;
    writeFileSync(join(buyer.inbound, 'mixed.x12'), mixed);
    const acks = await waitForFile(buyer.outbound, '997', acksBefore + 1);
    const ack = read(buyer.outbound, acks.at(-1)!).replaceAll('\n', '');
    expect(ack).toMatch(/AK2\*850\*0001~(AK3[^~]*~AK4[^~]*~)?AK5\*R\*4~/);
    expect(ack).toMatch(/AK2\*850\*0002~AK5\*A~/);
    expect(ack).toContain('AK9*P*2*2*1~');
    const found = async (po: string) => ((await (await fetch(`${url}/v1/messages?q=${po}&channel=buyerco`)).json()) as { items: { kind: string }[] }).items.filter((m) => m.kind === 'order');
    expect(await waitFor(() => found('PO-GOOD'), (items) => items.length === 1, 10_000)).toHaveLength(1);
    expect(await found('PO-BAD')).toHaveLength(0);
    expect(readdirSync(buyer.processed)).toContain('mixed.x12');
  });

  it('numbers every interchange it sends a partner with a fresh control number', () => {
    for (const dir of [buyer.outbound, threePl.outbound]) {
      const numbers = readdirSync(dir).filter((f) => !f.endsWith('.part')).map((f) => interchange(read(dir, f)).isa.controlNumber);
      expect(new Set(numbers).size).toBe(numbers.length);
    }
  });

  it("matches the buyer's 997 to the 856 it acknowledges", async () => {
    const asn = interchange(read(buyer.outbound, files(buyer.outbound, '856')[0]!));
    const gs06 = asn.groups[0]!.controlNumber;
    const ack = [
      'ISA*00*          *00*          *ZZ*BUYERCO        *ZZ*CROSSDOCK      *261121*0900*U*00401*000000906*0*P*:',
      'GS*FA*BUYERCO*CROSSDOCK*20261121*0900*906*X*004010', 'ST*997*0001', `AK1*SH*${gs06}`, 'AK2*856*0001', 'AK5*A', 'AK9*A*1*1*1', 'SE*6*0001',
      'GE*1*906', 'IEA*1*000000906',
    ].join('~') + '~';
    writeFileSync(join(buyer.inbound, 'fa.x12'), ack);
    const overdue = async () => t.app.store.listOverdueGroups(Date.now() + 365 * 86_400_000, 50);
    await waitFor(overdue, (groups) => !groups.some((g) => g.partner === 'buyerco' && g.groupControlNumber === gs06), 20_000, 200);
    const still = (await overdue()).filter((g) => g.partner === 'buyerco').map((g) => g.functionalId);
    expect(still).not.toContain('SH');
    expect(still).toContain('IN');
  });
});
