import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { makeTestApp, sampleOrder, type TestApp } from '../support/app.js';
import { expectExactlyOnce, postOrders, waitFor } from '../support/exactly-once.js';

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
  return (await runBoth(...args)).stdout;
}

/** The command in this process, its stdout and stderr captured. */
async function runBoth(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out.push(String(chunk));
    return true;
  });
  const errSpy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err.push(String(chunk));
    return true;
  });
  try {
    await buildProgram().exitOverride().parseAsync(['node', 'crossdock', ...args]);
  } finally {
    spy.mockRestore();
    errSpy.mockRestore();
  }
  return { stdout: out.join(''), stderr: err.join('') };
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

    const replayed = await runBoth('replay', '--code', 'customer.unknown', '--url', url);
    expect(replayed.stdout).toBe('Replayed 2 dead letters.\n');
    expect(replayed.stderr).toMatch(/replay done: 2 of 2 dead letters/);
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

async function deadLetterIds(baseUrl: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page = (await (await fetch(`${baseUrl}/v1/dead-letters?limit=500${cursor ? `&cursor=${cursor}` : ''}`)).json()) as { items: { id: string }[]; nextCursor: string | null };
    ids.push(...page.items.map((i) => i.id));
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}

describe('crossdock replay of many dead letters', () => {
  let t2: TestApp;
  let url2: string;
  let orderIds: string[];
  beforeAll(async () => {
    // One attempt and no breaker: every order the ERP refuses during the outage is dead at once.
    t2 = await makeTestApp({
      worker: { pollMs: 20, maxAttempts: 1 },
      protection: { erp: { ratePerSecond: 1000, attempts: 1, breakerThreshold: 1_000_000 } },
    });
    url2 = await t2.app.start();
    await fetch(`${url2}/sandbox/erp/outage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ durationMs: 600_000 }) });
    orderIds = await postOrders(url2, Array.from({ length: 300 }, (_, i) => sampleOrder({ channelOrderId: `BULK-${i}` })));
    await waitFor(() => deadLetterIds(url2), (ids) => ids.length === 300, 60_000, 250);
    await fetch(`${url2}/sandbox/erp/outage`, { method: 'DELETE' });
  });
  afterAll(async () => {
    await t2?.dispose();
  });

  it('shows progress, stops after the current batch on Ctrl-C, and carries on when run again; no order is posted twice', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'replay', '--all', '--batch', '10', '--url', url2], {
      cwd: new URL('../../', import.meta.url), stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      // The first progress line means the first batch is done: interrupt now.
      if (!interrupted && /replay: \d+\/300 dead letters/.test(stderr)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(stderr).toMatch(/replay: 10\/300 dead letters {2}3% {2}[\d.]+\/s {2}elapsed \d+s {2}left ~\d+s/);
    expect(stderr).toContain('stopping after the current batch');
    expect(code, `${stdout}\n${stderr}`).toBe(130);
    const stopped = /Stopped: replayed (\d+) of 300\. The rest are still dead letters/.exec(stdout);
    expect(stopped, stdout).not.toBeNull();
    const firstRun = Number(stopped![1]);
    expect(firstRun).toBeGreaterThanOrEqual(10);
    expect(firstRun).toBeLessThan(300);
    expect(firstRun % 10).toBe(0); // whole batches only
    expect(await deadLetterIds(url2)).toHaveLength(300 - firstRun);

    const again = await runBoth('replay', '--all', '--batch', '100', '--url', url2);
    expect(again.stdout).toBe(`Replayed ${300 - firstRun} dead letters.\n`);
    expect(again.stderr).toContain(`replay done: ${300 - firstRun} of ${300 - firstRun} dead letters`);
    await waitFor(async () => Promise.all(orderIds.map(async (id) => (await t2.app.store.getOrder(id))?.state)), (s) => s.every((x) => x === 'posted'), 60_000, 250);
    expect(await deadLetterIds(url2)).toEqual([]);
    await expectExactlyOnce({ accepted: orderIds, erpAdminUrl: `${url2}/sandbox/erp` });
  });
});
