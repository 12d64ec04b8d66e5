import type { Command } from 'commander';
import { buildApp } from '../app/build-app.js';
import { bootstrapAdmin } from '../auth/bootstrap.js';
import { ConfigError, loadConfigFile, resolveConfig, type Overrides } from '../config/config.js';
import { launchDemo } from '../demo/launch.js';
import { DEMO_DATA_DIR, demoConfigFile, demoRefusal } from '../demo/setup.js';

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('Run crossdock: API, worker and the ERP connection (by default the in-process sandbox ERP), on SQLite in the data directory')
    .option('-c, --config <file>', 'YAML configuration file')
    .option('-p, --port <n>', 'HTTP port (default 8080)', parsePort)
    .option('-d, --data-dir <dir>', 'data directory (default ./data)')
    .option('--database-url <url>', 'postgres://… to use PostgreSQL instead of SQLite')
    .option('--erp-url <url>', 'the ERP: tryton+http://USER:PASSWORD@HOST:PORT/DB for Tryton, or the base URL of a sandbox ERP started with `crossdock sandbox-erp`')
    .option('--demo', `feed a stream of orders, ERP incidents and shipments into the sandbox ERP (data in ${DEMO_DATA_DIR} unless --data-dir; docs/demo.md)`)
    .option('--demo-seed <n>', 'the demo\'s random seed: the same seed sends the same orders (default 1)', parseNumber)
    .option('--demo-rate <orders/s>', 'the demo\'s orders per second between bursts (default 3)', parseNumber)
    .action(async (opts: { config?: string; port?: number; dataDir?: string; databaseUrl?: string; erpUrl?: string; demo?: boolean; demoSeed?: number; demoRate?: number }) => {
      let config;
      try {
        const overrides: Overrides = {
          ...(opts.port !== undefined ? { port: opts.port } : {}), ...(opts.dataDir || opts.demo ? { dataDir: opts.dataDir ?? DEMO_DATA_DIR } : {}),
          ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {}), ...(opts.erpUrl ? { erpUrl: opts.erpUrl } : {}),
        };
        const file = opts.config ? loadConfigFile(opts.config) : {};
        config = resolveConfig(opts.demo ? demoConfigFile(file) : file, overrides);
      } catch (error) {
        if (error instanceof ConfigError) {
          process.stderr.write(`${error.message}\n`);
          process.exit(1);
        }
        throw error;
      }
      const refusal = opts.demo ? demoRefusal(config) : undefined;
      if (refusal) {
        process.stderr.write(`${refusal}\n`);
        process.exit(1);
      }
      const app = await buildApp(config);
      if (await bootstrapAdmin(app.store, config.access.bootstrapAdminPassword, Date.now())) {
        process.stderr.write('crossdock: created console user admin (role admin) from CROSSDOCK_ADMIN_PASSWORD\n');
      }
      const baseUrl = await app.start();
      const demo = opts.demo
        ? launchDemo(config, baseUrl, { seed: opts.demoSeed, ratePerSecond: opts.demoRate }, (text) => process.stderr.write(text))
        : undefined;
      let stopping = false;
      const shutdown = (signal: string) => {
        if (stopping) return;
        stopping = true;
        process.stderr.write(`crossdock: ${signal} received, draining work…\n`);
        // The demo stops sending before the app drains, so draining has an end.
        (demo ? demo.stop() : Promise.resolve()).then(() => app.stop()).then(() => process.exit(0), (error: unknown) => {
          process.stderr.write(`crossdock: shutdown failed: ${String(error)}\n`);
          process.exit(1);
        });
      };
      process.on('SIGINT', () => shutdown('SIGINT'));
      process.on('SIGTERM', () => shutdown('SIGTERM'));
    });
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`not a port: ${value}`);
  return port;
}

function parseNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`not a positive number: ${value}`);
  return n;
}
