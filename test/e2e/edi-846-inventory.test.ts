import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../support/app.js';
import { waitFor } from '../support/exactly-once.js';

/**
 * A 3PL's 846 inventory advice, dropped in its folder, becomes the stock of its locations in the
 * inventory engine, as of the group's date: a later advice updates it, one dated earlier that
 * arrives late changes nothing, and the same file twice is taken once.
 */
const root = mkdtempSync(join(tmpdir(), 'crossdock-846-'));
const folders = { inbound: join(root, 'in'), outbound: join(root, 'out'), processed: join(root, 'done'), rejected: join(root, 'bad') };
for (const path of Object.values(folders)) mkdirSync(path, { recursive: true });

let t: TestApp;
let url: string;

function x846(control: number, date: string, time: string, quantities: [number, number]): string {
  const set = ['ST*846*0001', `BIA*00*SI*R${control}*${date}`, 'N1*WH*West DC*92*DCW', 'LIN*1*VN*WID-100', `QTY*33*${quantities[0]}*EA`,
    'LIN*2*VN*WID-200', `QTY*33*${quantities[1]}*EA`, 'CTT*2'];
  const isa = String(control).padStart(9, '0');
  return [`ISA*00*          *00*          *ZZ*DCWEST         *ZZ*CROSSDOCK      *${date.slice(2)}*${time}*U*00401*${isa}*0*P*:`,
    `GS*IB*DCWEST*CROSSDOCK*${date}*${time}*${control}*X*004010`, ...set, `SE*${set.length + 1}*0001`, `GE*1*${control}`, `IEA*1*${isa}`].join('~\n') + '~\n';
}

/** The inventory batches the engine journaled from the partner's advice. */
async function batches(): Promise<number> {
  const page = (await (await fetch(`${url}/v1/messages?channel=edi:dc-west&limit=50`)).json()) as { items: { kind: string }[] };
  return page.items.filter((m) => m.kind === 'inventory-846').length;
}

/** The SKU's levels at the 3PL's location (the ERP's own warehouses are in the engine too). */
async function levels(sku: string): Promise<{ location: string; onHand: number }[]> {
  const res = await fetch(`${url}/v1/inventory/levels/${sku}`);
  return res.status === 200 ? ((await res.json()) as { levels: { location: string; onHand: number }[] }).levels.filter((l) => l.location === 'DCW') : [];
}

beforeAll(async () => {
  t = await makeTestApp({
    worker: { pollMs: 20 },
    edi: {
      identity: { isaQualifier: 'ZZ', isaId: 'CROSSDOCK' },
      partners: [{
        id: 'dc-west', isaQualifier: 'ZZ', isaId: 'DCWEST', pollIntervalSeconds: 1, send997: false,
        transport: { type: 'directory', folders, settleMs: 0 },
        mapping: { items: { 'VN:WID-100': 'SKU-1', 'VN:WID-200': 'SKU-2' }, defaults: { skuQualifier: 'VN' } },
      }],
    },
  });
  url = await t.app.start();
}, 60_000);

afterAll(async () => {
  await t?.dispose();
  rmSync(root, { recursive: true, force: true });
});

describe("a 3PL's 846 inventory advice", () => {
  it('sets the stock of its location, once, and a later advice updates it', async () => {
    writeFileSync(join(folders.inbound, 'inv-1.x12'), x846(101, '20261126', '0900', [40, 7]));
    await waitFor(() => levels('SKU-1'), (l) => l.length > 0, 20_000);
    expect(await levels('SKU-1')).toMatchObject([{ location: 'DCW', onHand: 40 }]);
    expect(await levels('SKU-2')).toMatchObject([{ location: 'DCW', onHand: 7 }]);

    writeFileSync(join(folders.inbound, 'inv-1-again.x12'), x846(101, '20261126', '0900', [40, 7]));
    writeFileSync(join(folders.inbound, 'inv-2.x12'), x846(102, '20261126', '1000', [35, 7]));
    await waitFor(() => levels('SKU-1'), (l) => l[0]?.onHand === 35, 20_000);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await batches()).toBe(2);
  });

  it('ignores an advice dated before the figures it already has', async () => {
    writeFileSync(join(folders.inbound, 'inv-0-late.x12'), x846(100, '20261126', '0800', [99, 99]));
    await waitFor(batches, (n) => n === 3, 20_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(await levels('SKU-1')).toMatchObject([{ location: 'DCW', onHand: 35 }]);
    expect(await levels('SKU-2')).toMatchObject([{ location: 'DCW', onHand: 7 }]);
  });
});
