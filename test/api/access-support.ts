import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, type App } from '../../src/app/build-app.js';
import { resolveConfig } from '../../src/config/config.js';
import type { ConfigFile } from '../../src/config/schema.js';
import type { Clock } from '../../src/lib/clock.js';

/** scrypt at test cost: the format and the code path are the production ones, the work is not. */
export const TEST_SCRYPT = { N: 1024, r: 8, p: 1 };

/** A clock the test moves. */
export class TestClock implements Clock {
  constructor(public ms = Date.UTC(2026, 10, 26, 9)) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

export interface AccessTestApp {
  app: App;
  clock: TestClock;
  dispose(): Promise<void>;
}

/** A crossdock on a fresh SQLite data directory with cheap password hashing and a test clock; not listening (inject only). */
export async function makeAccessApp(file: ConfigFile = {}): Promise<AccessTestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'crossdock-access-'));
  const clock = new TestClock();
  const config = resolveConfig({ ...file, server: { port: 0, ...file.server } }, { dataDir }, {});
  const app = await buildApp(config, { logger: false, clock, passwordHashing: TEST_SCRYPT });
  await app.http.ready();
  return {
    app, clock,
    async dispose() {
      await app.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
