import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../support/app.js';
import { waitFor } from '../support/exactly-once.js';
import { sftpServerUnavailable, startSftpServer, type TestSftpServer } from '../support/sftp-server.js';

/**
 * A trading partner on a real OpenSSH SFTP server: an 850 dropped in its inbound folder becomes
 * an order posted to the sandbox ERP exactly once, the file moves to `processed`, and a 997
 * accepting it appears in the outbound folder; a broken interchange is moved to `rejected` and
 * answered with a TA1, and nothing from it is applied. The same file uploaded over HTTP is
 * recognised as already received.
 */
const unavailable = await sftpServerUnavailable();
const PO_850 = readFileSync(new URL('../../src/edi/x12/fixtures/850-star-colon-tilde.edi', import.meta.url), 'utf8');
const BAD_IEA = readFileSync(new URL('../../src/edi/x12/fixtures/bad-iea.edi', import.meta.url), 'utf8');
const TOKEN = 'buyerco-upload-token-0123456789';

let sftp: TestSftpServer;
let t: TestApp;
let url: string;

beforeAll(async () => {
  if (unavailable) return;
  sftp = await startSftpServer();
  t = await makeTestApp({
    worker: { pollMs: 20, backoffMs: 50 },
    protection: { erp: { ratePerSecond: 1000 } },
    edi: {
      identity: { isaQualifier: 'ZZ', isaId: 'CROSSDOCK' },
      partners: [{
        id: 'buyerco', isaQualifier: 'ZZ', isaId: 'BUYERCO', pollIntervalSeconds: 1, httpToken: TOKEN,
        transport: {
          type: 'sftp', host: sftp.host, port: sftp.port, username: sftp.username, privateKey: sftp.privateKey, hostKey: sftp.hostKeyFingerprint,
          settleMs: 200,
          folders: { inbound: join(sftp.root, 'inbound'), outbound: join(sftp.root, 'outbound'), processed: join(sftp.root, 'processed'), rejected: join(sftp.root, 'rejected') },
        },
        mapping: { customerAccount: 'C-100', items: { 'VN:WID-100': 'SKU-1', 'VN:WID-200': 'SKU-2' } },
      }],
    },
  });
  url = await t.app.start();
}, 120_000);

afterAll(async () => {
  await t?.dispose();
  await sftp?.stop();
});

const folder = (name: string) => readdirSync(join(sftp.root, name)).filter((f) => !f.endsWith('.part'));
interface ErpOrder { externalRef: string; lines: { sku: string; quantity: number }[] }
const erpOrders = async () => ((await (await fetch(`${url}/sandbox/erp/orders`)).json()) as { orders: ErpOrder[] }).orders;

describe.skipIf(unavailable !== undefined)('EDI over SFTP', () => {
  it('turns an 850 dropped on the SFTP server into a posted order and answers it with a 997', async () => {
    writeFileSync(join(sftp.root, 'inbound', 'PO-4521.x12'), PO_850);

    await waitFor(async () => folder('processed'), (files) => files.includes('PO-4521.x12'), 20_000, 200);
    const page = (await (await fetch(`${url}/v1/messages?q=PO-4521&channel=buyerco`)).json()) as { items: { kind: string; subjectId: string }[] };
    const orderId = page.items.find((m) => m.kind === 'order')?.subjectId;
    expect(orderId).toBeDefined();
    const order = await waitFor(async () => (await (await fetch(`${url}/v1/orders/${orderId}`)).json()) as { state: string; order: { lines: { sku: string; quantity: number }[] } },
      (o) => o.state === 'posted', 20_000, 200);
    expect(order.order.lines.map((l) => [l.sku, l.quantity])).toEqual([['SKU-1', 6], ['SKU-2', 12]]);
    expect((await erpOrders()).filter((o) => o.externalRef === orderId)).toHaveLength(1);

    const acks = await waitFor(async () => folder('outbound'), (files) => files.some((f) => f.includes('-997-')), 20_000, 200);
    const ack = readFileSync(join(sftp.root, 'outbound', acks.find((f) => f.includes('-997-'))!), 'utf8').replaceAll('\n', '');
    expect(ack).toMatch(/^ISA\*00\*.{10}\*00\*.{10}\*ZZ\*CROSSDOCK {6}\*ZZ\*BUYERCO {8}\*/);
    expect(ack).toContain('AK1*PO*1~');
    expect(ack).toContain('AK5*A~');
    expect(ack).toContain('AK9*A*1*1*1~');
  });

  it('recognises the same file uploaded again over HTTP, and posts nothing twice', async () => {
    const res = await fetch(`${url}/edi/buyerco`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/edi-x12' }, body: PO_850 });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ duplicate: true });
    const wrong = await fetch(`${url}/edi/buyerco`, { method: 'POST', headers: { authorization: 'Bearer nope' }, body: PO_850 });
    expect(wrong.status).toBe(401);
    const page = (await (await fetch(`${url}/v1/messages?q=PO-4521&channel=buyerco`)).json()) as { items: { kind: string; subjectId: string }[] };
    const orders = new Set(page.items.filter((m) => m.kind === 'order').map((m) => m.subjectId));
    expect(orders.size).toBe(1);
    expect((await erpOrders()).filter((o) => orders.has(o.externalRef))).toHaveLength(1);
  });

  it('moves a broken interchange to rejected, answers it with a TA1, and applies nothing from it', async () => {
    const before = (await erpOrders()).length;
    writeFileSync(join(sftp.root, 'inbound', 'broken.x12'), BAD_IEA);

    await waitFor(async () => folder('rejected'), (files) => files.includes('broken.x12'), 20_000, 200);
    const outbound = await waitFor(async () => folder('outbound'), (files) => files.some((f) => f.includes('-TA1-')), 20_000, 200);
    const ta1 = readFileSync(join(sftp.root, 'outbound', outbound.find((f) => f.includes('-TA1-'))!), 'utf8');
    expect(ta1).toMatch(/TA1\*\d{9}\*\d{6}\*\d{4}\*R\*\d{3}~/);
    expect(existsSync(join(sftp.root, 'inbound', 'broken.x12'))).toBe(false);
    await new Promise((r) => setTimeout(r, 500));
    expect((await erpOrders()).length).toBe(before);
    const rejected = (await (await fetch(`${url}/v1/messages?channel=buyerco&limit=50`)).json()) as { items: { kind: string; channelRef: string | null }[] };
    expect(rejected.items.some((m) => m.kind === 'edi-file' && m.channelRef === 'broken.x12')).toBe(true);
  });
});
