import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, type App } from '../../src/app/build-app.js';
import { resolveConfig, type Overrides } from '../../src/config/config.js';
import type { ConfigFile } from '../../src/config/schema.js';

export interface TestApp {
  app: App;
  dataDir: string;
  /** Stops the app and removes its data directory. */
  dispose(): Promise<void>;
}

/** A crossdock on a fresh temporary data directory, quiet, on a free port when started. */
export async function makeTestApp(file: ConfigFile = {}, overrides: Overrides = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'crossdock-test-'));
  const config = resolveConfig({ ...file, server: { port: 0, ...file.server } }, { dataDir, ...overrides }, {});
  const app = await buildApp(config, { logger: false });
  return {
    app,
    dataDir,
    async dispose() {
      await app.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The order document from the README: every test starts from it. */
export function sampleOrder(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    channel: 'b2b-portal', channelOrderId: 'PO-1001', orderedAt: '2026-11-22T10:00:00Z', currency: 'USD',
    customer: { accountId: 'C-100' },
    shipTo: { name: 'Acme Receiving', line1: '1 Dock Rd', city: 'Reno', region: 'NV', postalCode: '89501', country: 'US' },
    lines: [{ sku: 'SKU-1', quantity: 2, uom: 'EA', unitPrice: '10.00' }],
    payment: { status: 'authorized' },
    ...overrides,
  };
}
