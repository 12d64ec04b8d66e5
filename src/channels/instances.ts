import { Compile } from 'typebox/compile';
import type { ChannelInstanceSettings } from '../config/config.js';
import { ConfigError } from '../config/config.js';
import { createMappingContext, type RuntimeReferenceLookup } from './mapping-context.js';
import type { ChannelConnector, ChannelDeps, ChannelType, MappingContext } from './types.js';

/** One configured channel instance, ready to use. */
export interface ChannelInstance {
  readonly id: string;
  readonly type: ChannelType;
  readonly config: ChannelInstanceSettings;
  readonly connector: ChannelConnector;
  readonly mapping: MappingContext;
}

/** Checks an instance's settings against its type's schema; problems name the path. */
export function settingsProblems(type: ChannelType, config: ChannelInstanceSettings, index: number): string[] {
  const validator = Compile(type.settingsSchema);
  if (validator.Check(config.settings)) return [];
  return [...validator.Errors(config.settings)].map((e) => `/channels/${index}/settings${e.instancePath}: ${e.message}`);
}

/**
 * The mapping context of an instance: its cross-references, default customer and settings;
 * with `runtime`, the cross-references operators set at run time win over the configured ones.
 */
export function instanceMappingContext(config: ChannelInstanceSettings, runtime?: RuntimeReferenceLookup): MappingContext {
  return createMappingContext({
    channel: config.id, settings: config.settings, skus: config.skus, customers: config.customers,
    ...(config.defaultCustomer ? { defaultCustomer: config.defaultCustomer } : {}),
    ...(runtime ? { runtime } : {}),
  });
}

/**
 * Builds every enabled instance from configuration. Unknown types and settings that do not
 * match their type's schema stop start-up with every problem listed, not at the first order.
 */
export function buildChannelInstances(
  configs: readonly ChannelInstanceSettings[],
  types: readonly ChannelType[],
  depsFor: (instance: string) => ChannelDeps,
  /** Run-time cross-references of an instance (src/operations/cross-references.ts). */
  runtimeReferences?: (instance: string) => RuntimeReferenceLookup,
): Map<string, ChannelInstance> {
  const byType = new Map(types.map((t) => [t.type, t]));
  const problems: string[] = [];
  const instances = new Map<string, ChannelInstance>();
  configs.forEach((config, index) => {
    const type = byType.get(config.type);
    if (!type) {
      problems.push(`/channels/${index}/type: unknown channel type ${config.type} (known: ${[...byType.keys()].join(', ')})`);
      return;
    }
    const settings = settingsProblems(type, config, index);
    if (settings.length > 0) {
      problems.push(...settings);
      return;
    }
    if (!config.enabled) return;
    const connector = type.create({ id: config.id, type: config.type, settings: config.settings }, depsFor(config.id));
    instances.set(config.id, { id: config.id, type, config, connector, mapping: instanceMappingContext(config, runtimeReferences?.(config.id)) });
  });
  if (problems.length > 0) throw new ConfigError('the channel configuration is not valid', problems);
  return instances;
}
