import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sleep } from '../../lib/clock.js';
import { demoSalesOrder } from './fixtures/documents.js';
import type { SandboxErpKnobsPatch } from './knobs.js';
import { startSandboxErpServer, type SandboxErpServer } from './server.js';
import type { SandboxErpStats } from './stats.js';

/** The sandbox ERP on a real socket: the only place a dropped connection can be observed. */

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startErp(knobs: SandboxErpKnobsPatch = {}): Promise<SandboxErpServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sandbox-erp-socket-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const server = await startSandboxErpServer({ dataDir, port: 0, knobs: { latencyMs: 0, ...knobs } });
  cleanups.push(() => server.close());
  return server;
}

function call(erp: SandboxErpServer, path: string, init: RequestInit = {}): Promise<Response> {
  const headers: Record<string, string> = init.body === undefined ? {} : { 'content-type': 'application/json' };
  return fetch(`${erp.apiBaseUrl}${path}`, { ...init, headers });
}

async function stats(erp: SandboxErpServer): Promise<SandboxErpStats> {
  return (await call(erp, '/stats')).json() as Promise<SandboxErpStats>;
}

describe('sandbox ERP server on a socket', () => {
  it('answers a burst above the rate cap with 429 and Retry-After, serving exactly the cap', async () => {
    const erp = await startErp({ rateCap: 5 });
    const responses = await Promise.all(Array.from({ length: 20 }, () => call(erp, '/api/customers/C-100')));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
    for (const response of responses.filter((r) => r.status === 429)) {
      const seconds = Number(response.headers.get('retry-after'));
      expect(seconds).toBeGreaterThan(0);
      expect(seconds).toBeLessThanOrEqual(1);
    }
    expect(await stats(erp)).toMatchObject({ total: 20, peakPerSecond: 20, peakServedPerSecond: 5, responses: { '200': 5, '429': 15 } });
  });

  it('serves a client that keeps to the cap, and the peak per second shows it did', async () => {
    const erp = await startErp({ rateCap: 5 });
    for (let round = 0; round < 2; round++) {
      const responses = await Promise.all(Array.from({ length: 5 }, () => call(erp, '/api/customers/C-100')));
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      if (round === 0) await sleep(1050);
    }
    expect(await stats(erp)).toMatchObject({ total: 10, peakPerSecond: 5, peakServedPerSecond: 5 });
  });

  it('drops connections unanswered during an outage in drop mode', async () => {
    const erp = await startErp({ outageMode: 'drop' });
    await call(erp, '/outage', { method: 'POST', body: JSON.stringify({ durationMs: 60_000 }) });
    await expect(call(erp, '/api/customers/C-100')).rejects.toThrow();
    await call(erp, '/outage', { method: 'DELETE' });
    expect((await call(erp, '/api/customers/C-100')).status).toBe(200);
    expect((await stats(erp)).responses).toEqual({ dropped: 1, '200': 1 });
  });

  it('creates and commits the order, then loses the response, when loseResponseRate fires', async () => {
    const erp = await startErp({ loseResponseRate: 1 });
    await expect(call(erp, '/api/sales-orders', { method: 'POST', body: JSON.stringify(demoSalesOrder()) })).rejects.toThrow();

    const received = (await (await call(erp, '/orders')).json()) as { count: number; orders: { number: string }[] };
    expect(received).toMatchObject({ count: 1, orders: [{ number: 'SO-000001' }] });
    expect(erp.state.findSalesOrder('ord_TEST0001')?.number).toBe('SO-000001');

    // The caller's retry finds the order it could not see created.
    await call(erp, '/knobs', { method: 'PUT', body: JSON.stringify({ loseResponseRate: 0 }) });
    const retry = await call(erp, '/api/sales-orders', { method: 'POST', body: JSON.stringify(demoSalesOrder()) });
    expect(retry.status).toBe(409);
    expect(await retry.json()).toMatchObject({ code: 'duplicate-external-ref', number: 'SO-000001' });
  });

  it('applies the configured latency before answering', async () => {
    const erp = await startErp({ latencyMs: 120 });
    const started = performance.now();
    expect((await call(erp, '/api/customers/C-100')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });
});
