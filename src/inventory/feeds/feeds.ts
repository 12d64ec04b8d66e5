import { ConfigError } from '../../config/config.js';
import type { CallContext } from '../../connectors/capabilities.js';
import { createDirectoryTransport, parseDirectorySettings } from '../../edi/transport/directory.js';
import { createSftpTransport, parseSftpSettings } from '../../edi/transport/sftp.js';
import type { EdiTransport, InboundFile, ProcessOutcome } from '../../edi/transport/types.js';
import type { PolicyRegistry } from '../../protect/registry.js';
import type { ProtectionPolicy } from '../../protect/types.js';
import type { InventoryFeedSettings } from './config-schema.js';

/**
 * The part of an EDI transport a stock feed uses: it only picks files up. Every call goes
 * through the feed's protection policy (target `feed:<id>`: timeout, retries, breaker).
 */
export interface FeedTransport {
  /** How files arrive, for the journal. */
  readonly via: 'sftp' | 'directory';
  list(ctx: CallContext): Promise<InboundFile[]>;
  read(file: InboundFile, ctx: CallContext): Promise<Buffer>;
  markProcessed(file: InboundFile, outcome: ProcessOutcome, ctx: CallContext): Promise<void>;
  close(): Promise<void>;
}

/** A configured feed, ready to use: its settings and, when it has one, its transport. */
export interface InventoryFeed extends InventoryFeedSettings {
  readonly pickUp: FeedTransport | undefined;
}

/**
 * Feeds never write to the 3PL, but the transports check four folders: one left out gets a path
 * under /dev/null, which no server or disk can hold, so a write there could only fail.
 */
const NO_OUTBOUND = '/dev/null/crossdock-inventory-feeds-write-nothing';

/**
 * Builds every feed's transport from configuration; transport settings are checked here, so a
 * bad one stops start-up with every problem listed (`/inventory/feeds/0/transport/...`).
 */
export function buildInventoryFeeds(feeds: readonly InventoryFeedSettings[], policies: PolicyRegistry): Map<string, InventoryFeed> {
  const problems: string[] = [];
  const built = new Map<string, InventoryFeed>();
  feeds.forEach((settings, i) => {
    try {
      built.set(settings.id, { ...settings, pickUp: buildTransport(settings, i, policies) });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
  });
  if (problems.length > 0) throw new ConfigError('the inventory feed configuration is not valid', problems);
  return built;
}

function buildTransport(settings: InventoryFeedSettings, index: number, policies: PolicyRegistry): FeedTransport | undefined {
  if (!settings.transport) return undefined;
  const { type, ...rest } = settings.transport;
  const folders = rest['folders'];
  const input = folders !== null && typeof folders === 'object' && !('outbound' in folders) ? { ...rest, folders: { ...folders, outbound: NO_OUTBOUND } } : rest;
  const origin = `/inventory/feeds/${index}/transport`;
  const target = `feed:${settings.id}`;
  if (type === 'sftp') return protect(createSftpTransport(parseSftpSettings(input, origin), { target }), policies.get(target), 'sftp');
  if (type === 'directory') return protect(createDirectoryTransport(parseDirectorySettings(input, origin), { target }), policies.get(target), 'directory');
  throw new ConfigError('the inventory feed configuration is not valid', [`${origin}/type: must be sftp or directory, not ${String(type)}`]);
}

function protect(transport: EdiTransport, policy: ProtectionPolicy, via: FeedTransport['via']): FeedTransport {
  return {
    via,
    list: (ctx) => policy.execute(`${via}.list`, () => transport.list(), ctx),
    read: (file, ctx) => policy.execute(`${via}.read`, () => transport.read(file), ctx),
    markProcessed: (file, outcome, ctx) => policy.execute(`${via}.move`, () => transport.markProcessed(file, outcome), ctx),
    close: () => transport.close(),
  };
}
