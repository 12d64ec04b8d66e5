import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { submissionProblems } from '../canonical/validate.js';
import { CHANNEL_TYPES, channelType } from '../channels/catalog.js';
import { instanceMappingContext } from '../channels/instances.js';
import { createMappingContext } from '../channels/mapping-context.js';
import type { MappingContext } from '../channels/types.js';
import { ConfigError, loadConfigFile, resolveConfig } from '../config/config.js';
import { readJsonDocuments } from './json-documents.js';

interface MapOptions {
  config?: string;
  instance?: string;
}

/**
 * `crossdock map <channel> order FILE`: the dry run of a channel mapping. Prints the canonical
 * order a vendor document maps to, or every problem found (exit 1). With `--config`, the
 * instance's SKU and customer cross-references are applied as at intake.
 */
export function registerMapCommand(program: Command): void {
  program
    .command('map')
    .description('Print the canonical document a channel document maps to (a dry run of the mapping)')
    .argument('<channel>', `channel type: ${CHANNEL_TYPES.map((t) => t.type).join(', ')}`)
    .argument('<document>', 'document kind: order')
    .argument('<file>', 'the vendor document (JSON). Amazon: the getOrders order and its getOrderItems items side by side, or {"order":…, "items":[…]}')
    .option('--config <file>', 'apply the cross-references of a configured instance of this channel')
    .option('--instance <id>', 'which configured instance (default: the first of this channel type)')
    .action((channel: string, kind: string, file: string, options: MapOptions) => {
      const fail = (lines: string[]) => {
        process.stderr.write(`${lines.join('\n')}\n`);
        process.exitCode = 1;
      };
      const type = channelType(channel);
      if (!type) return fail([`unknown channel ${channel}; known: ${CHANNEL_TYPES.map((t) => t.type).join(', ')}`]);
      if (kind !== 'order') return fail([`unknown document kind ${kind}; known: order`]);

      let document: unknown;
      try {
        const documents = readJsonDocuments(readFileSync(file, 'utf8'));
        // Two documents side by side (an Amazon order and its items): the mapping takes them as one.
        document = documents.length === 1 ? documents[0] : documents;
      } catch (error) {
        return fail([`${file}: ${(error as Error).message}`]);
      }

      let ctx: MappingContext;
      try {
        ctx = mappingContextFor(channel, options);
      } catch (error) {
        if (error instanceof ConfigError) return fail([error.message]);
        throw error;
      }
      const result = type.mapOrder(document, ctx);
      if (!result.ok) return fail([`${file} cannot be mapped to a canonical order:`, ...result.problems.map((p) => `  ${p.path}: ${p.message}`)]);
      const problems = submissionProblems(result.order);
      if (problems.length > 0) return fail([`${file} maps to an order that is not valid:`, ...problems.map((p) => `  ${p.pointer}: ${p.detail}`)]);
      process.stdout.write(`${JSON.stringify({ order: result.order, warnings: result.warnings }, null, 2)}\n`);
    });
}

function mappingContextFor(channel: string, options: MapOptions): MappingContext {
  if (!options.config) return createMappingContext({ channel });
  const config = resolveConfig(loadConfigFile(options.config), {});
  const instance = config.channels.find((c) => (options.instance ? c.id === options.instance : c.type === channel));
  if (!instance) throw new ConfigError(`${options.config} has no ${options.instance ?? channel} channel instance`, []);
  return instanceMappingContext(instance);
}
