import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpClient } from '../../protect/types.js';
import { demoOrder } from './fixtures/documents.js';
import { createSandboxErp, sandboxErpManifest } from './manifest.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Enough of an HttpClient for a happy path: JSON in, JSON out. */
function jsonClient(baseUrl: () => string): HttpClient {
  return {
    async request(request) {
      const response = await fetch(baseUrl() + request.path, {
        method: request.method,
        headers: request.body === undefined ? {} : { 'content-type': 'application/json' },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
      });
      return { status: response.status, headers: response.headers, body: (await response.json()) as unknown };
    },
  };
}

describe('createSandboxErp', () => {
  it("runs in-process: routes mounted on the host's server, connector calling them over HTTP", async () => {
    expect(sandboxErpManifest).toEqual({ name: 'sandbox-erp', kind: 'erp', capabilities: ['masterData', 'orderSink', 'changes', 'stock', 'prices'] });
    const dataDir = mkdtempSync(join(tmpdir(), 'sandbox-erp-manifest-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const app = Fastify();
    let base = '';
    const erp = createSandboxErp({ dataDir, knobs: { latencyMs: 0 }, http: jsonClient(() => base) });
    cleanups.push(() => erp.close());
    await erp.register(app);
    base = `${await app.listen({ port: 0, host: '127.0.0.1' })}/sandbox/erp`;
    cleanups.push(() => app.close());

    const ref = await erp.connector.orderSink.create(demoOrder(), { correlationId: 'c' });
    expect(ref.number).toBe('SO-000001');
    expect(erp.state.listSalesOrders()).toHaveLength(1);
    expect(await erp.connector.masterData.getCustomer('C-100', { correlationId: 'c' })).toMatchObject({ balance: '22.47' });
  });
});
