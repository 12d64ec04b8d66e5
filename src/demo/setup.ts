import type { Config } from '../config/config.js';
import type { ConfigFile } from '../config/schema.js';
import { SANDBOX_ERP_PREFIX } from '../connectors/sandbox-erp/server.js';
import { SLOW_LATENCY } from './erp-incidents.js';

/** A demo never writes into the real data directory unless told to. */
export const DEMO_DATA_DIR = './data-demo';

/**
 * The demo's configuration over the user's: its own data directory, and the ERP's changes
 * polled every 5 s instead of 30 s, so shipments reach the console while a newcomer watches.
 */
export function demoConfigFile(file: ConfigFile): ConfigFile {
  return { ...file, erp: { ...file.erp, changePollSeconds: file.erp?.changePollSeconds ?? 5 } };
}

/** Why this configuration cannot run the demo, or undefined when it can. */
export function demoRefusal(config: Config): string | undefined {
  if (config.erp.kind !== 'sandbox') {
    return '--demo drives the sandbox ERP (its knobs, outages and warehouse); start it without a Tryton ERP.';
  }
  if (!isLoopback(config.server.host)) {
    return `--demo sends orders without credentials, which crossdock only allows on loopback; listen on 127.0.0.1 (not ${config.server.host}).`;
  }
  return undefined;
}

/** The sandbox ERP's admin API: in this process, or the separate sandbox ERP's. */
export function demoErpAdminUrl(config: Config, baseUrl: string): string {
  const erpUrl = config.erp.kind === 'sandbox' ? config.erp.url : undefined;
  return `${(erpUrl ?? baseUrl).replace(/\/+$/, '')}${SANDBOX_ERP_PREFIX}`;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

export interface BannerFacts {
  baseUrl: string;
  dataDir: string;
  ratePerSecond: number;
  seed: number;
}

/** What the demo does and where to watch it. */
export function demoBanner(facts: BannerFacts): string {
  const { baseUrl } = facts;
  return [
    '',
    '  crossdock demo',
    '  ──────────────',
    `  Console:     ${baseUrl}/console/`,
    `  API:         ${baseUrl}/docs    Metrics: ${baseUrl}/metrics`,
    `  Data:        ${facts.dataDir} (a demo directory: delete it to start afresh)`,
    '',
    `  ~${facts.ratePerSecond} orders/s (bursts of 3×) from shopify-us, amazon-us, woocommerce-eu, b2b-portal and edi-acme`,
    '  into the sandbox ERP. Watch for:',
    '    • held orders in the dead-letter workbench: ~3 % name a channel SKU the ERP does not know',
    '      (WIDGET-RED-XL: add a cross-reference to SKU-3 and replay), ~2 % are for C-300, on credit hold;',
    '    • duplicates (~2 %) suppressed: the same order sent twice is taken once;',
    `    • an ERP slowdown (p50 ${SLOW_LATENCY.p50 / 1000} s) within 20 s and then every ~2–3 min, an ERP outage (20 s) within`,
    '      a minute and then every ~5 min: retries, the circuit breaker, the backlog draining afterwards;',
    '    • the warehouse shipping posted orders a few seconds later, some invoiced; stock counts now and then.',
    '',
    `  Seed ${facts.seed} (--demo-seed), rate --demo-rate. Ctrl-C stops the demo, then crossdock drains.`,
    '',
  ].join('\n');
}
