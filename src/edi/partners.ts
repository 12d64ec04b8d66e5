import type { EdiPartnerSettings } from '../config/config.js';
import { ConfigError } from '../config/config.js';
import type { CallContext } from '../connectors/capabilities.js';
import type { PolicyRegistry } from '../protect/registry.js';
import type { ProtectionPolicy } from '../protect/types.js';
import { PartnerMappingProfile, partnerProfileProblems } from './sets/index.js';
import { createDirectoryTransport, parseDirectorySettings } from './transport/directory.js';
import { createSftpTransport, parseSftpSettings } from './transport/sftp.js';
import type { EdiTransport, InboundFile, ProcessOutcome } from './transport/types.js';

/** A configured trading partner, ready to use. */
export interface EdiPartner {
  readonly id: string;
  readonly settings: EdiPartnerSettings;
  readonly profile: PartnerMappingProfile;
  /** The partner's file transport, every call through its protection policy; absent for HTTP-only partners. */
  readonly transport: ProtectedTransport | undefined;
}

/** `EdiTransport` with each call run by the partner's protection policy (timeout, retries, breaker, rate). */
export interface ProtectedTransport {
  list(ctx: CallContext): Promise<InboundFile[]>;
  read(file: InboundFile, ctx: CallContext): Promise<Buffer>;
  markProcessed(file: InboundFile, outcome: ProcessOutcome, ctx: CallContext): Promise<void>;
  put(name: string, content: Buffer | string, ctx: CallContext): Promise<void>;
  close(): Promise<void>;
}

function protect(transport: EdiTransport, policy: ProtectionPolicy, kind: string): ProtectedTransport {
  return {
    list: (ctx) => policy.execute(`${kind}.list`, () => transport.list(), ctx),
    read: (file, ctx) => policy.execute(`${kind}.read`, () => transport.read(file), ctx),
    markProcessed: (file, outcome, ctx) => policy.execute(`${kind}.move`, () => transport.markProcessed(file, outcome), ctx),
    put: (name, content, ctx) => policy.execute(`${kind}.put`, () => transport.put(name, content), ctx),
    close: () => transport.close(),
  };
}

/**
 * Builds every partner from configuration: mapping profiles and transport settings are checked
 * here, so a bad profile stops start-up with every problem listed, not at the first file.
 */
export function buildEdiPartners(partners: readonly EdiPartnerSettings[], policies: PolicyRegistry): Map<string, EdiPartner> {
  const problems: string[] = [];
  const built = new Map<string, EdiPartner>();
  partners.forEach((settings, i) => {
    const profileDocument = { ...settings.mapping, partnerId: settings.id };
    const profileProblems = partnerProfileProblems(profileDocument);
    problems.push(...profileProblems.map((p) => `/edi/partners/${i}/mapping${p.pointer === '/' ? '' : p.pointer}: ${p.detail}`));
    let transport: ProtectedTransport | undefined;
    try {
      transport = buildTransport(settings, i, policies);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
    if (profileProblems.length === 0) {
      built.set(settings.id, { id: settings.id, settings, profile: profileDocument as PartnerMappingProfile, transport });
    }
  });
  if (problems.length > 0) throw new ConfigError('the EDI configuration is not valid', problems);
  return built;
}

function buildTransport(settings: EdiPartnerSettings, index: number, policies: PolicyRegistry): ProtectedTransport | undefined {
  if (!settings.transport) return undefined;
  const { type, ...rest } = settings.transport;
  const origin = `/edi/partners/${index}/transport`;
  const target = `edi:${settings.id}`;
  if (type === 'sftp') return protect(createSftpTransport(parseSftpSettings(rest, origin), { target }), policies.get(target), 'sftp');
  if (type === 'directory') return protect(createDirectoryTransport(parseDirectorySettings(rest, origin), { target }), policies.get(target), 'directory');
  throw new ConfigError('the EDI configuration is not valid', [`${origin}/type: must be sftp or directory, not ${String(type)}`]);
}
