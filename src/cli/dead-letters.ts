import type { Command } from 'commander';

interface DeadLetterView {
  id: string;
  orderId: string | null;
  attempts: number;
  deadAt: string;
  reason: string;
  action: string;
  error: { code: string };
}

const DEFAULT_URL = 'http://127.0.0.1:8080';

/**
 * `crossdock dlq` lists dead letters grouped by reason; `crossdock replay ID…` (or `--code`)
 * re-runs them. Both talk to a running crossdock's API, so they work the same against one
 * process or many.
 */
export function registerDeadLetterCommands(program: Command): void {
  program
    .command('dlq')
    .description('List dead letters (held and failed work) grouped by reason, with what to do')
    .option('--url <url>', 'crossdock API base URL', DEFAULT_URL)
    .option('--code <code>', 'only this error code, e.g. sku.unknown')
    .option('--json', 'print the raw list as JSON')
    .action(async (opts: { url: string; code?: string; json?: boolean }) => {
      const letters = await listDeadLetters(opts.url, opts.code);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(letters, null, 2)}\n`);
        return;
      }
      if (letters.length === 0) {
        process.stdout.write('No dead letters.\n');
        return;
      }
      const groups = new Map<string, DeadLetterView[]>();
      for (const letter of letters) groups.set(letter.error.code, [...(groups.get(letter.error.code) ?? []), letter]);
      for (const [code, group] of groups) {
        process.stdout.write(`\n${code} — ${group.length}\n  what to do: ${group[0]?.action}\n`);
        for (const l of group) process.stdout.write(`  ${l.id}  order ${l.orderId ?? '-'}  ${l.deadAt}  ${l.reason}\n`);
      }
    });

  program
    .command('replay')
    .description('Replay dead letters by id, or every dead letter with an error code, after fixing the cause')
    .argument('[ids...]', 'dead letter ids (from `crossdock dlq`)')
    .option('--url <url>', 'crossdock API base URL', DEFAULT_URL)
    .option('--code <code>', 'replay every dead letter with this error code')
    .action(async (ids: string[], opts: { url: string; code?: string }) => {
      const targets = opts.code ? (await listDeadLetters(opts.url, opts.code)).map((l) => l.id) : ids;
      if (targets.length === 0) {
        process.stderr.write('Nothing to replay: give dead letter ids or --code.\n');
        process.exitCode = 1;
        return;
      }
      let failed = 0;
      for (const [i, id] of targets.entries()) {
        const res = await fetch(`${opts.url}/v1/dead-letters/${encodeURIComponent(id)}/replay`, { method: 'POST' });
        const body = (await res.json()) as { detail?: string; orderId?: string | null };
        if (res.status === 202) process.stdout.write(`[${i + 1}/${targets.length}] ${id} queued${body.orderId ? ` (order ${body.orderId})` : ''}\n`);
        else {
          failed++;
          process.stdout.write(`[${i + 1}/${targets.length}] ${id} not replayed: ${body.detail ?? res.status}\n`);
        }
      }
      if (failed > 0) process.exitCode = 1;
    });
}

async function listDeadLetters(url: string, code?: string): Promise<DeadLetterView[]> {
  const res = await fetch(`${url}/v1/dead-letters?limit=500${code ? `&code=${encodeURIComponent(code)}` : ''}`);
  if (!res.ok) throw new Error(`crossdock at ${url} answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { items: DeadLetterView[] }).items;
}
