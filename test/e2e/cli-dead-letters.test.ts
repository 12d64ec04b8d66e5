import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { makeTestApp, sampleOrder, type TestApp } from '../support/app.js';
import { postOrders, waitFor } from '../support/exactly-once.js';

let t: TestApp;
let url: string;
beforeAll(async () => {
  t = await makeTestApp({ worker: { pollMs: 20 }, protection: { erp: { ratePerSecond: 1000 } } });
  url = await t.app.start();
});
afterAll(async () => {
  await t.dispose();
  process.exitCode = 0;
});

async function run(...args: string[]): Promise<string> {
  const out: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out.push(String(chunk));
    return true;
  });
  try {
    await buildProgram().exitOverride().parseAsync(['node', 'crossdock', ...args]);
  } finally {
    spy.mockRestore();
  }
  return out.join('');
}

describe('crossdock dlq and replay', () => {
  it('lists held orders by reason and replays a whole group', async () => {
    const ids = await postOrders(url, [
      sampleOrder({ channelOrderId: 'CLI-1', customer: { accountId: 'C-NOBODY' } }),
      sampleOrder({ channelOrderId: 'CLI-2', customer: { accountId: 'C-NOBODY' } }),
    ]);
    await waitFor(async () => Promise.all(ids.map(async (id) => (await t.app.store.getOrder(id))?.state)), (s) => s.every((x) => x === 'held'), 10_000);

    const listing = await run('dlq', '--url', url);
    expect(listing).toContain('customer.unknown — 2');
    expect(listing).toContain('what to do: Create the customer in the ERP');
    for (const id of ids) expect(listing).toContain(id);

    const replayed = await run('replay', '--code', 'customer.unknown', '--url', url);
    expect(replayed.match(/queued/g)).toHaveLength(2);
    // The customer is still unknown, so both are held again: replay re-ran them.
    await waitFor(async () => Promise.all(ids.map(async (id) => (await t.app.store.getOrder(id))?.state)), (s) => s.every((x) => x === 'held'), 10_000);
    const history = await t.app.store.listEvents((await t.app.store.getOrder(ids[0]!))!.messageId);
    expect(history.filter((e) => e.step === 'replayed')).toHaveLength(1);
  });

  it('says so when there is nothing to replay', async () => {
    const out = await run('replay', '--code', 'sku.unknown', '--url', url);
    expect(out).toBe('');
    expect(process.exitCode).toBe(1);
    process.exitCode = 0;
  });
});
