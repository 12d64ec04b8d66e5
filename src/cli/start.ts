import type { Command } from 'commander';
import { buildApp } from '../app/build-app.js';
import { ConfigError, loadConfigFile, resolveConfig, type Overrides } from '../config/config.js';

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('Run crossdock: API, worker and the ERP connection (by default the in-process sandbox ERP), on SQLite in the data directory')
    .option('-c, --config <file>', 'YAML configuration file')
    .option('-p, --port <n>', 'HTTP port (default 8080)', parsePort)
    .option('-d, --data-dir <dir>', 'data directory (default ./data)')
    .option('--database-url <url>', 'postgres://… to use PostgreSQL instead of SQLite')
    .option('--erp-url <url>', 'the ERP: tryton+http://USER:PASSWORD@HOST:PORT/DB for Tryton, or the base URL of a sandbox ERP started with `crossdock sandbox-erp`')
    .action(async (opts: { config?: string; port?: number; dataDir?: string; databaseUrl?: string; erpUrl?: string }) => {
      let config;
      try {
        const overrides: Overrides = {
          ...(opts.port !== undefined ? { port: opts.port } : {}), ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
          ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {}), ...(opts.erpUrl ? { erpUrl: opts.erpUrl } : {}),
        };
        config = resolveConfig(opts.config ? loadConfigFile(opts.config) : {}, overrides);
      } catch (error) {
        if (error instanceof ConfigError) {
          process.stderr.write(`${error.message}\n`);
          process.exit(1);
        }
        throw error;
      }
      const app = await buildApp(config);
      await app.start();
      let stopping = false;
      const shutdown = (signal: string) => {
        if (stopping) return;
        stopping = true;
        process.stderr.write(`crossdock: ${signal} received, draining work…\n`);
        app.stop().then(() => process.exit(0), (error: unknown) => {
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
