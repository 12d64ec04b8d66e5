import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { Compile } from 'typebox/compile';
import { ConfigSchema, type ConfigFile } from './schema.js';
import { DEFAULT_PROTECTION, type ProtectionSettings } from '../protect/types.js';
import { isTrytonUrl, parseTrytonUrl, redact, type TrytonUrl } from '../connectors/tryton/url.js';
import { trytonSettings, type TrytonSettings } from '../connectors/tryton/settings.js';
import { resolveInventory, type InventorySettings } from '../inventory/config-schema.js';
import { resolvePrices, type PriceSettings } from '../pricing/config-schema.js';
import { resolveAccess, type AccessSettings } from '../auth/config-schema.js';
import { resolveObjectives, resolveTelemetry, type Objective, type TelemetrySettings } from '../observability/config-schema.js';

/** Configuration with every default applied: what the composition root reads. */
export interface Config {
  dataDir: string;
  /** `trustProxy` as Fastify takes it; anything but `false` means a reverse proxy stands in front. */
  server: { host: string; port: number; bodyLimitBytes: number; trustProxy: boolean | string };
  database: { url: string | undefined; poolSize: number };
  erp: ErpSettings;
  protection: Record<string, ProtectionSettings>;
  worker: { concurrency: number; leaseMs: number; pollMs: number; maxAttempts: number; backoffMs: number; maxBackoffMs: number };
  log: { level: string };
  channels: ChannelInstanceSettings[];
  edi: EdiSettings;
  inventory: InventorySettings;
  prices: PriceSettings;
  access: AccessSettings;
  telemetry: TelemetrySettings;
  slo: Objective[];
}

export type ErpSettings =
  | { kind: 'sandbox'; url: string | undefined; knobs: Record<string, unknown>; changePollSeconds: number; stockSnapshotMs: number }
  | { kind: 'tryton'; tryton: TrytonSettings; changePollSeconds: number; stockSnapshotMs: number };

export interface EdiSettings {
  identity: { isaQualifier: string; isaId: string; gsId: string };
  partners: EdiPartnerSettings[];
}

/** A trading partner as configured, with defaults applied and `env:NAME` strings read. */
export interface EdiPartnerSettings {
  id: string;
  isaQualifier: string;
  isaId: string;
  gsId: string;
  version: '004010' | '005010';
  usage: 'P' | 'T';
  delimiters: { element: string; component: string; segment: string; repetition?: string; lineEnding: '' | '\n' | '\r\n' };
  send997: boolean;
  ackWindowHours: number;
  httpToken: string | undefined;
  /** Channels whose posted orders this partner (a 3PL) ships, each with a 940. */
  fulfils: string[];
  pollIntervalSeconds: number;
  transport: Record<string, unknown> | undefined;
  mapping: Record<string, unknown>;
}

/** A channel instance as configured, with `env:NAME` settings read from the environment. */
export interface ChannelInstanceSettings {
  id: string;
  type: string;
  enabled: boolean;
  settings: Record<string, unknown>;
  skus: Record<string, string | { sku: string; uom?: string; factor?: number }>;
  customers: Record<string, string>;
  defaultCustomer: string | undefined;
  pollIntervalSeconds: number;
}

export class ConfigError extends Error {
  constructor(message: string, readonly problems: string[]) {
    super(`${message}\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const validator = Compile(ConfigSchema);

/** Validates a parsed config document; problems name the offending path. */
export function validateConfig(document: unknown, origin = 'configuration'): ConfigFile {
  if (document === null || document === undefined) return {};
  if (!validator.Check(document)) {
    const problems = [...validator.Errors(document)].map((e) => `${e.instancePath || '/'}: ${e.message}`);
    throw new ConfigError(`${origin} is not valid`, problems);
  }
  return document as ConfigFile;
}

export function loadConfigFile(path: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read ${path}`, [(error as Error).message]);
  }
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new ConfigError(`${path} is not valid YAML`, [(error as Error).message]);
  }
  return validateConfig(document, path);
}

export interface Overrides {
  port?: number;
  dataDir?: string;
  databaseUrl?: string;
  erpUrl?: string;
}

/**
 * Builds the effective configuration: file, then environment (the only place crossdock reads
 * process.env), then command-line overrides.
 */
export function resolveConfig(file: ConfigFile, overrides: Overrides = {}, env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (`CROSSDOCK_HOST=`) means unset, not "the empty string".
  const fromEnv = (name: string): string | undefined => env[name] || undefined;
  const envPort = fromEnv('CROSSDOCK_PORT') ? Number(env.CROSSDOCK_PORT) : undefined;
  const protection: Record<string, ProtectionSettings> = {};
  for (const [target, settings] of Object.entries({ erp: {}, ...(file.protection ?? {}) })) {
    protection[target] = { ...DEFAULT_PROTECTION, ...settings };
  }
  return {
    dataDir: resolve(overrides.dataDir ?? fromEnv('CROSSDOCK_DATA_DIR') ?? file.dataDir ?? './data'),
    server: {
      host: fromEnv('CROSSDOCK_HOST') ?? file.server?.host ?? '127.0.0.1',
      port: overrides.port ?? envPort ?? file.server?.port ?? 8080,
      bodyLimitBytes: file.server?.bodyLimitBytes ?? 1_048_576,
      trustProxy: file.server?.trustProxy ?? false,
    },
    database: { url: overrides.databaseUrl ?? fromEnv('CROSSDOCK_DATABASE_URL') ?? file.database?.url, poolSize: file.database?.poolSize ?? 10 },
    erp: resolveErp(file.erp, overrides.erpUrl, env),
    protection,
    worker: {
      concurrency: file.worker?.concurrency ?? 32,
      leaseMs: file.worker?.leaseMs ?? 30_000,
      pollMs: file.worker?.pollMs ?? 100,
      maxAttempts: file.worker?.maxAttempts ?? 12,
      backoffMs: file.worker?.backoffMs ?? 1_000,
      maxBackoffMs: file.worker?.maxBackoffMs ?? 300_000,
    },
    log: { level: fromEnv('CROSSDOCK_LOG_LEVEL') ?? file.log?.level ?? 'info' },
    channels: resolveChannels(file.channels ?? [], env),
    edi: resolveEdi(file.edi, env),
    ...resolveStockAndPrices(file, env),
    access: resolveAccess(file.access, env),
    ...resolveObservability(file, env),
  };
}

function resolveStockAndPrices(file: ConfigFile, env: NodeJS.ProcessEnv): Pick<Config, 'inventory' | 'prices'> {
  const problems: string[] = [];
  const inventory = resolveInventory(file.inventory, env, problems);
  const prices = resolvePrices(file.prices, env, problems);
  if (problems.length > 0) throw new ConfigError('the inventory or prices configuration is not valid', problems);
  return { inventory, prices };
}

function resolveObservability(file: ConfigFile, env: NodeJS.ProcessEnv): Pick<Config, 'telemetry' | 'slo'> {
  const problems: string[] = [];
  const telemetry = resolveTelemetry(file.telemetry, env, problems);
  const slo = resolveObjectives(file.slo, problems);
  if (problems.length > 0) throw new ConfigError('the telemetry or slo configuration is not valid', problems);
  return { telemetry, slo };
}

function resolveErp(erp: ConfigFile['erp'], urlOverride: string | undefined, env: NodeJS.ProcessEnv): ErpSettings {
  const url = urlOverride ?? erp?.url;
  const changePollSeconds = erp?.changePollSeconds ?? 30;
  const stockSnapshotMs = (erp?.stockSnapshotMinutes ?? 60) * 60_000;
  const kind = url !== undefined && isTrytonUrl(url) ? 'tryton' : (erp?.kind ?? 'sandbox');
  if (kind === 'sandbox') return { kind, url, knobs: erp?.knobs ?? {}, changePollSeconds, stockSnapshotMs };

  const problems: string[] = [];
  const file = (resolveEnvReferences(erp?.tryton ?? {}, '/erp/tryton', env, problems) ?? {}) as NonNullable<NonNullable<ConfigFile['erp']>['tryton']>;
  let fromUrl: Partial<TrytonUrl> = {};
  if (url === undefined) problems.push('/erp/url: the Tryton server\'s address is missing (http://HOST:PORT or tryton+http://USER:PASSWORD@HOST:PORT/DB)');
  else if (isTrytonUrl(url)) {
    try {
      fromUrl = parseTrytonUrl(url);
    } catch (error) {
      problems.push(`/erp/url: ${(error as Error).message}`);
    }
  } else fromUrl = { url: url.replace(/\/+$/, '') };
  // The file's settings win over the url's, so a shared url can be narrowed per deployment.
  const database = file.database ?? fromUrl.database;
  const user = file.user ?? fromUrl.user;
  const password = file.password ?? fromUrl.password ?? '';
  if (!database) problems.push('/erp/tryton/database: which Tryton database (or put it in the url)');
  if (!user) problems.push('/erp/tryton/user: the Tryton login (or put it in the url)');
  if (problems.length > 0) throw new ConfigError(`the ERP configuration is not valid${url ? ` (${redact(url)})` : ''}`, problems);
  return { kind, changePollSeconds, stockSnapshotMs, tryton: trytonSettings({ ...file, url: fromUrl.url!, database: database!, user: user!, password }) };
}

function resolveEdi(edi: ConfigFile['edi'], env: NodeJS.ProcessEnv): EdiSettings {
  const identity = edi?.identity ?? { isaQualifier: 'ZZ', isaId: 'CROSSDOCK' };
  const problems: string[] = [];
  const seen = new Set<string>();
  const partners = (edi?.partners ?? []).map((p, i): EdiPartnerSettings => {
    if (seen.has(p.id)) problems.push(`/edi/partners/${i}/id: ${p.id} is used by another partner`);
    seen.add(p.id);
    const version = p.version ?? '004010';
    return {
      id: p.id, isaQualifier: p.isaQualifier, isaId: p.isaId, gsId: p.gsId ?? p.isaId, version, usage: p.usage ?? 'P',
      delimiters: {
        element: p.delimiters?.element ?? '*', component: p.delimiters?.component ?? ':', segment: p.delimiters?.segment ?? '~',
        ...(p.delimiters?.repetition ?? (version === '005010' ? '^' : undefined) ? { repetition: p.delimiters?.repetition ?? '^' } : {}),
        lineEnding: p.delimiters?.lineEnding ?? '\n',
      },
      send997: p.send997 ?? true,
      ackWindowHours: p.ackWindowHours ?? 24,
      httpToken: p.httpToken === undefined ? undefined : (resolveEnvReferences(p.httpToken, `/edi/partners/${i}/httpToken`, env, problems) as string),
      fulfils: p.fulfils ?? [],
      pollIntervalSeconds: p.pollIntervalSeconds ?? 60,
      transport: p.transport === undefined ? undefined : (resolveEnvReferences(p.transport, `/edi/partners/${i}/transport`, env, problems) as Record<string, unknown>),
      mapping: p.mapping ?? {},
    };
  });
  if (problems.length > 0) throw new ConfigError('the EDI configuration is not valid', problems);
  return { identity: { ...identity, gsId: identity.gsId ?? identity.isaId }, partners };
}

function resolveChannels(channels: NonNullable<ConfigFile['channels']>, env: NodeJS.ProcessEnv): ChannelInstanceSettings[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const resolved = channels.map((c, i) => {
    if (seen.has(c.id)) problems.push(`/channels/${i}/id: ${c.id} is used by another channel instance`);
    seen.add(c.id);
    return {
      id: c.id,
      type: c.type,
      enabled: c.enabled ?? true,
      settings: resolveEnvReferences(c.settings ?? {}, `/channels/${i}/settings`, env, problems) as Record<string, unknown>,
      skus: c.skus ?? {},
      customers: c.customers ?? {},
      defaultCustomer: c.defaultCustomer,
      pollIntervalSeconds: c.pollIntervalSeconds ?? 60,
    };
  });
  if (problems.length > 0) throw new ConfigError('the channel configuration is not valid', problems);
  return resolved;
}

/** Replaces every string `env:NAME` with the variable's value; a missing variable is a problem naming the path. */
function resolveEnvReferences(value: unknown, path: string, env: NodeJS.ProcessEnv, problems: string[]): unknown {
  if (typeof value === 'string') {
    if (!value.startsWith('env:')) return value;
    const name = value.slice(4);
    const found = env[name];
    if (found === undefined || found === '') problems.push(`${path}: environment variable ${name} is not set`);
    return found ?? '';
  }
  if (Array.isArray(value)) return value.map((v, i) => resolveEnvReferences(v, `${path}/${i}`, env, problems));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveEnvReferences(v, `${path}/${k}`, env, problems)]));
  }
  return value;
}
