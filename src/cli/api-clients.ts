import type { Command } from 'commander';
import { createApiClient, issueApiKey, listApiClients, revokeApiKey } from '../auth/api-clients.js';
import { SCOPES } from '../auth/scopes.js';
import { cliActor, onStore, withStoreOptions, type StoreOptions } from './users.js';

function parseRate(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`not a rate per minute: ${value}`);
  return n;
}

/** `crossdock api-clients add|list|key|revoke`: programs that call the API, and their keys. */
export function registerApiClientCommands(program: Command): void {
  const clients = program.command('api-clients').description('API clients and their keys (audited as cli:<you>)');

  withStoreOptions(clients.command('add').argument('<id>', 'client id, e.g. erp-bridge'))
    .requiredOption('--scopes <list>', `comma-separated: ${SCOPES.join(', ')}`)
    .option('--name <name>', 'a readable name')
    .option('--rate <n>', 'requests per minute (default: access.defaultRatePerMinute)', parseRate)
    .description('Add an API client (then issue it a key with `crossdock api-clients key`)')
    .action(async (id: string, opts: StoreOptions & { scopes: string; name?: string; rate?: number }) => onStore(opts, async (store) => {
      const client = await createApiClient(store, {
        id, scopes: opts.scopes.split(',').map((s) => s.trim()).filter(Boolean),
        ...(opts.name ? { name: opts.name } : {}), ...(opts.rate !== undefined ? { ratePerMinute: opts.rate } : {}),
      }, cliActor(), Date.now());
      process.stdout.write(`Added ${client.id} with ${client.scopes.join(', ')}.\n`);
    }));

  withStoreOptions(clients.command('list'))
    .description('List API clients and their keys (never the keys themselves)')
    .action(async (opts: StoreOptions) => onStore(opts, async (store) => {
      const all = await listApiClients(store, Date.now());
      if (all.length === 0) process.stdout.write('No API clients.\n');
      for (const c of all) {
        process.stdout.write(`${c.id}\t${c.scopes.join(',')}\t${c.ratePerMinute ?? 'default'}/min${c.disabled ? '\tdisabled' : ''}\n`);
        for (const k of c.keys) {
          const state = k.revokedAt ? `revoked ${k.revokedAt}` : k.active ? 'active' : `expired ${k.expiresAt}`;
          process.stdout.write(`  ${k.id}\t${k.prefix}…\t${state}\tlast used ${k.lastUsedAt ?? 'never'}\n`);
        }
      }
    }));

  withStoreOptions(clients.command('key').argument('<id>', 'client id'))
    .option('--rotate', 'with two keys active, revoke the oldest')
    .option('--expires-in-days <n>', 'the key stops working after this many days', parseRate)
    .description('Issue a key and print it once')
    .action(async (id: string, opts: StoreOptions & { rotate?: boolean; expiresInDays?: number }) => onStore(opts, async (store) => {
      const issued = await issueApiKey(store, id, {
        ...(opts.rotate ? { rotate: true } : {}), ...(opts.expiresInDays !== undefined ? { expiresInDays: opts.expiresInDays } : {}),
      }, cliActor(), Date.now());
      for (const old of issued.revoked) process.stderr.write(`Revoked ${old.id} (${old.prefix}…).\n`);
      process.stderr.write(`Key ${issued.apiKey.id} for ${id} — store it now, it is not shown again:\n`);
      process.stdout.write(`${issued.key}\n`);
    }));

  withStoreOptions(clients.command('revoke').argument('<id>', 'client id').argument('<keyId>', 'key id (from `crossdock api-clients list`)'))
    .description('Revoke a key (a running crossdock stops accepting it within 30 seconds)')
    .action(async (id: string, keyId: string, opts: StoreOptions) => onStore(opts, async (store) => {
      await revokeApiKey(store, id, keyId, cliActor(), Date.now());
      process.stdout.write(`Revoked ${keyId}.\n`);
    }));
}
