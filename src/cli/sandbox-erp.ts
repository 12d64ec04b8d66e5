import { InvalidArgumentError, type Command } from 'commander';
import { startSandboxErpServer } from '../connectors/sandbox-erp/server.js';
import { knobsFrom } from '../connectors/sandbox-erp/knobs.js';

interface SandboxErpCommandOptions {
  port: number;
  dataDir: string;
  host: string;
  rateCap?: number;
  knobs?: unknown;
}

/**
 * `crossdock sandbox-erp --port <n> --data-dir <dir> [--rate-cap <n>] [--host 127.0.0.1] [--knobs <json>]`:
 * runs the sandbox ERP as its own HTTP server, for fault tests that kill crossdock but not its
 * ERP, and for benchmarks that want the ERP off crossdock's event loop. Stops on SIGINT/SIGTERM.
 */
export function registerSandboxErpCommand(program: Command): void {
  program
    .command('sandbox-erp')
    .description('Run the sandbox ERP (demo customers, items, stock; fault knobs) as a standalone HTTP server')
    .requiredOption('--port <n>', 'port to listen on (0 picks a free one)', parseInteger)
    .requiredOption('--data-dir <dir>', 'directory holding sandbox-erp.db (created and seeded when new)')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--rate-cap <n>', 'answer 429 above this many calls per sliding second', parseInteger)
    .option('--knobs <json>', 'initial knobs as JSON, e.g. \'{"latencyMs":{"p50":20,"p99":200}}\'', parseJson)
    .action(async (options: SandboxErpCommandOptions) => {
      // Validated here so a bad value is reported before anything listens.
      const knobs = knobsFrom({ ...(isObject(options.knobs) ? options.knobs : {}), ...(options.rateCap === undefined ? {} : { rateCap: options.rateCap }) });
      const server = await startSandboxErpServer({ dataDir: options.dataDir, port: options.port, host: options.host, knobs });
      // One JSON line, so a parent process (test harness, bench) can read the URL it got.
      process.stdout.write(`${JSON.stringify({ msg: 'sandbox ERP listening', url: server.url, apiBaseUrl: server.apiBaseUrl })}\n`);
      await waitForSignal();
      await server.close();
    });
}

function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

function parseInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

function parseJson(value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw new InvalidArgumentError('expected a JSON object');
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
