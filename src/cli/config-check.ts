import type { Command } from 'commander';
import { channelType } from '../channels/catalog.js';
import { settingsProblems } from '../channels/instances.js';
import { ConfigError, loadConfigFile, resolveConfig } from '../config/config.js';

export function registerConfigCommand(program: Command): void {
  program
    .command('config')
    .description('Work with the configuration file')
    .command('check')
    .argument('<file>', 'YAML configuration file')
    .description('Validate a configuration file and print the effective configuration')
    .action((file: string) => {
      try {
        const config = resolveConfig(loadConfigFile(file), {});
        const problems = config.channels.flatMap((c, i) => {
          const type = channelType(c.type);
          return type ? settingsProblems(type, c, i) : [`/channels/${i}/type: unknown channel type ${c.type}`];
        });
        if (problems.length > 0) throw new ConfigError(`${file}: the channel configuration is not valid`, problems);
        const shown = {
          ...config,
          database: { ...config.database, url: config.database.url ? redactUrl(config.database.url) : undefined },
          erp: config.erp.kind === 'tryton'
            ? { ...config.erp, tryton: { ...config.erp.tryton, ...(config.erp.tryton.password ? { password: '***' } : {}) } }
            : { ...config.erp, ...(config.erp.url ? { url: redactUrl(config.erp.url) } : {}) },
          channels: config.channels.map((c) => ({ ...c, settings: redactSecrets(c.settings) })),
          edi: {
            ...config.edi,
            partners: config.edi.partners.map((p) => ({
              ...p,
              ...(p.httpToken ? { httpToken: '***' } : {}),
              ...(p.transport ? { transport: redactSecrets(p.transport) } : {}),
            })),
          },
        };
        process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
      } catch (error) {
        if (error instanceof ConfigError) {
          process.stderr.write(`${error.message}\n`);
          process.exitCode = 1;
          return;
        }
        throw error;
      }
    });
}

/** Settings whose name says they hold a credential are shown as *** (they may come from env:). */
function redactSecrets(settings: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(settings).map(([k, v]) =>
    [k, /secret|token|password|passphrase|key$/i.test(k) && typeof v === 'string' && v !== '' ? '***' : v]));
}

function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
