import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { ConfigError, loadConfigFile, resolveConfig } from '../config/config.js';
import { CrossdockError } from '../errors/crossdock-error.js';
import { ROLES, type Role } from '../auth/scopes.js';
import { createUser, listUsers, removeUser, updateUser } from '../auth/users.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/types.js';
import { readSecret } from './read-secret.js';

export interface StoreOptions {
  config?: string;
  dataDir?: string;
  databaseUrl?: string;
}

/** `--config`, `--data-dir`, `--database-url`: the store a command works on, as `crossdock start` would open it. */
export function withStoreOptions(command: Command): Command {
  return command
    .option('-c, --config <file>', 'YAML configuration file')
    .option('-d, --data-dir <dir>', 'data directory (default ./data)')
    .option('--database-url <url>', 'postgres://… when crossdock runs on PostgreSQL');
}

/** How the audit log names a change made from the command line: `cli:<os user>`. */
export function cliActor(): string {
  let name = 'unknown';
  try {
    name = userInfo().username;
  } catch {
    // No passwd entry (some containers): still audited, as cli:unknown.
  }
  return `cli:${name}`;
}

/** Opens the configured store, runs `work`, closes it; a configuration or crossdock error is printed and exits 1. */
export async function onStore(options: StoreOptions, work: (store: Store) => Promise<void>): Promise<void> {
  let store: Store | undefined;
  try {
    const config = resolveConfig(options.config ? loadConfigFile(options.config) : {}, {
      ...(options.dataDir ? { dataDir: options.dataDir } : {}), ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    });
    store = await openStore(config);
    await store.migrate();
    await work(store);
  } catch (error) {
    if (!(error instanceof ConfigError || error instanceof CrossdockError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  } finally {
    await store?.close();
  }
}

function parseRole(value: string): Role {
  if (!(ROLES as readonly string[]).includes(value)) throw new Error(`role must be one of ${ROLES.join(', ')}`);
  return value as Role;
}

/** `crossdock users add|list|set-password|remove`: console users, on the configured store. */
export function registerUserCommands(program: Command): void {
  const users = program.command('users').description('Console users: add, list, set a password, remove (audited as cli:<you>)');

  withStoreOptions(users.command('add').argument('<name>', 'user name').requiredOption('--role <role>', `${ROLES.join(', ')}`, parseRole))
    .option('--password-env <VAR>', 'read the password from this environment variable (otherwise asked twice on the terminal)')
    .description('Add a console user')
    .action(async (name: string, opts: StoreOptions & { role: Role; passwordEnv?: string }) => {
      const password = await readSecret('password', opts.passwordEnv);
      if (password === undefined) return;
      await onStore(opts, async (store) => {
        const user = await createUser(store, { username: name, role: opts.role, password }, cliActor(), Date.now());
        process.stdout.write(`Added ${user.username} (${user.role}).\n`);
      });
    });

  withStoreOptions(users.command('list'))
    .description('List console users')
    .action(async (opts: StoreOptions) => onStore(opts, async (store) => {
      const all = await listUsers(store);
      if (all.length === 0) process.stdout.write('No console users.\n');
      for (const u of all) process.stdout.write(`${u.username}\t${u.role}${u.disabled ? '\tdisabled' : ''}\n`);
    }));

  withStoreOptions(users.command('set-password').argument('<name>', 'user name'))
    .option('--password-env <VAR>', 'read the password from this environment variable (otherwise asked twice on the terminal)')
    .description('Set a user\'s password (ends their sessions)')
    .action(async (name: string, opts: StoreOptions & { passwordEnv?: string }) => {
      const password = await readSecret('new password', opts.passwordEnv);
      if (password === undefined) return;
      await onStore(opts, async (store) => {
        await updateUser(store, name, { password }, cliActor(), Date.now());
        process.stdout.write(`Password of ${name} set; their sessions have ended.\n`);
      });
    });

  withStoreOptions(users.command('remove').argument('<name>', 'user name'))
    .description('Remove a console user and end their sessions')
    .action(async (name: string, opts: StoreOptions) => onStore(opts, async (store) => {
      await removeUser(store, name, cliActor(), Date.now());
      process.stdout.write(`Removed ${name}.\n`);
    }));
}
