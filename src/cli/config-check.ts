import type { Command } from 'commander';
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
        const shown = { ...config, database: { ...config.database, url: config.database.url ? redactUrl(config.database.url) : undefined } };
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

function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
