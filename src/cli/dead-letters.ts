import type { Command } from 'commander';
import { apiTarget, callApi, describeAnswer, reportingFailures, withApiOptions, type ApiTarget } from './api-request.js';
import { interruptible, Progress, type Interruption } from './progress.js';

interface DeadLetterView {
  id: string;
  orderId: string | null;
  deadAt: string;
  reason: string;
  action: string;
  error: { code: string };
}

interface Page {
  items: DeadLetterView[];
  /** undefined: a crossdock without paging, read again from the top. */
  nextCursor: string | null | undefined;
}

/** Which dead letters a replay takes: named ones, or everything of an error code, a class, or all. */
export type ReplaySelection = { ids: readonly string[] } | { code?: string; class?: string };

export interface ReplayOutcome {
  replayed: number;
  skipped: { id: string; reason: string }[];
  interrupted: boolean;
  total: number | undefined;
}

/** Ids per replay call: one transaction's worth each, small enough to stop soon after Ctrl-C. */
export const DEFAULT_REPLAY_BATCH = 200;

/**
 * `crossdock dlq` lists dead letters grouped by reason; `crossdock replay ID…` (or `--code`,
 * `--class`, `--all`) re-runs them in batches, with progress, and stops cleanly on Ctrl-C. Both
 * talk to a running crossdock's API, so they work the same against one process or many.
 */
export function registerDeadLetterCommands(program: Command): void {
  withApiOptions(program.command('dlq'))
    .description('List dead letters (held and failed work) grouped by reason, with what to do')
    .option('--code <code>', 'only this error code, e.g. sku.unknown')
    .option('--json', 'print the raw list as JSON')
    .action(reportingFailures(async (opts: { url: string; apiKeyEnv?: string; code?: string; json?: boolean }) => {
      const target = apiTarget(opts, process.env);
      const letters = (await listPage(target, { ...(opts.code ? { code: opts.code } : {}) }, 500, undefined)).items;
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
    }));

  withApiOptions(program.command('replay'))
    .description('Replay dead letters after fixing the cause: by id, every one with an error code or class, or all; Ctrl-C stops after the current batch')
    .argument('[ids...]', 'dead letter ids (from `crossdock dlq`)')
    .option('--code <code>', 'replay every dead letter with this error code, e.g. sku.unknown')
    .option('--class <class>', 'replay every dead letter of this workbench class, e.g. unknown-sku')
    .option('--all', 'replay every dead letter')
    .option('--batch <n>', `ids per replay call (default ${DEFAULT_REPLAY_BATCH})`, (v) => positiveInteger(v, '--batch'))
    .action(reportingFailures(async (ids: string[], opts: { url: string; apiKeyEnv?: string; code?: string; class?: string; all?: boolean; batch?: number }) => {
      const selection: ReplaySelection | undefined = ids.length > 0 ? { ids }
        : opts.code || opts.class || opts.all ? { ...(opts.code ? { code: opts.code } : {}), ...(opts.class ? { class: opts.class } : {}) }
          : undefined;
      if (!selection) {
        process.stderr.write('Nothing to replay: give dead letter ids, --code, --class or --all.\n');
        process.exitCode = 1;
        return;
      }
      const interruption = interruptible();
      try {
        const outcome = await replayDeadLetters(apiTarget(opts, process.env), selection, { batch: opts.batch ?? DEFAULT_REPLAY_BATCH, interruption });
        reportOutcome(outcome, selection);
      } finally {
        interruption.dispose();
      }
    }));
}

/**
 * Replays batch by batch, checking between batches whether the user asked to stop. Each batch
 * is one call and each dead letter's replay one transaction, so an interrupted run leaves every
 * letter either queued again or still dead: running the command again carries on.
 */
export async function replayDeadLetters(
  target: ApiTarget, selection: ReplaySelection, options: { batch: number; interruption: Interruption; progress?: Progress },
): Promise<ReplayOutcome> {
  const total = 'ids' in selection ? new Set(selection.ids).size : await countSelected(target, selection);
  const progress = options.progress ?? new Progress({ label: 'replay', unit: 'dead letters', ...(total !== undefined ? { total } : {}) });
  const outcome: ReplayOutcome = { replayed: 0, skipped: [], interrupted: false, total };
  let batchRoute = true;
  for await (const batch of batches(target, selection, options.batch)) {
    let result: { ids: string[]; skipped: { id: string; reason: string }[] } | undefined;
    if (batchRoute) {
      const answer = await callApi(target, 'POST', '/v1/dead-letters/replay', { ids: batch });
      // An older crossdock has no batch route: fall back to one call per dead letter.
      if (answer.status === 404) batchRoute = false;
      else if (answer.status !== 202) throw new Error(`replay failed: ${describeAnswer(answer)}`);
      else result = answer.body as { ids: string[]; skipped: { id: string; reason: string }[] };
    }
    result ??= await replayOneByOne(target, batch, options.interruption);
    outcome.replayed += result.ids.length;
    outcome.skipped.push(...result.skipped);
    for (const s of result.skipped) progress.note(`  ${s.id} not replayed: ${s.reason}`);
    if ('ids' in selection && selection.ids.length <= 20) for (const id of result.ids) progress.note(`  ${id} queued`);
    progress.advance(result.ids.length + result.skipped.length);
    if (options.interruption.requested) {
      outcome.interrupted = true;
      break;
    }
  }
  progress.finish(outcome.interrupted ? 'stopped' : 'done');
  return outcome;
}

async function replayOneByOne(target: ApiTarget, ids: readonly string[], interruption: Interruption) {
  const result = { ids: [] as string[], skipped: [] as { id: string; reason: string }[] };
  for (const id of ids) {
    if (interruption.requested) break;
    const answer = await callApi(target, 'POST', `/v1/dead-letters/${encodeURIComponent(id)}/replay`);
    if (answer.status === 202) result.ids.push(id);
    else result.skipped.push({ id, reason: describeAnswer(answer) });
  }
  return result;
}

/** The selection in batches. Listing pages of a selection skip what this run already tried. */
async function* batches(target: ApiTarget, selection: ReplaySelection, size: number): AsyncGenerator<string[]> {
  if ('ids' in selection) {
    const ids = [...new Set(selection.ids)];
    for (let i = 0; i < ids.length; i += size) yield ids.slice(i, i + size);
    return;
  }
  // A replayed letter that fails again is dead again, newer than the cursor: it is not met
  // twice in one run, and `tried` guards a crossdock that cannot page.
  const tried = new Set<string>();
  let cursor: string | undefined;
  for (;;) {
    const page = await listPage(target, selection, size, cursor);
    const fresh = page.items.map((l) => l.id).filter((id) => !tried.has(id));
    if (fresh.length === 0 && (page.nextCursor === undefined || page.nextCursor === null)) return;
    for (const id of fresh) tried.add(id);
    if (fresh.length > 0) yield fresh;
    if (page.nextCursor === null) return;
    cursor = page.nextCursor;
  }
}

async function listPage(target: ApiTarget, filter: { code?: string; class?: string }, limit: number, cursor: string | undefined): Promise<Page> {
  const query = new URLSearchParams({ limit: String(Math.min(500, limit)) });
  if (filter.code) query.set('code', filter.code);
  if (filter.class) query.set('class', filter.class);
  if (cursor) query.set('cursor', cursor);
  const answer = await callApi(target, 'GET', `/v1/dead-letters?${query}`);
  if (answer.status !== 200) throw new Error(`crossdock at ${target.url} answered ${describeAnswer(answer)}`);
  return answer.body as Page;
}

/** How many dead letters the selection holds now, from the workbench groups; undefined if unknown. */
async function countSelected(target: ApiTarget, filter: { code?: string; class?: string }): Promise<number | undefined> {
  const answer = await callApi(target, 'GET', '/v1/dead-letters/groups');
  if (answer.status !== 200) return undefined;
  const groups = (answer.body as { groups: { class: string; count: number; codes: string[] }[] }).groups;
  const matching = groups.filter((g) => (!filter.class || g.class === filter.class) && (!filter.code || g.codes.includes(filter.code)));
  // A class's count covers all its codes: for one code of several it would overstate.
  if (filter.code && matching.some((g) => g.codes.length > 1)) return undefined;
  return matching.reduce((sum, g) => sum + g.count, 0);
}

function reportOutcome(outcome: ReplayOutcome, selection: ReplaySelection): void {
  const skipped = outcome.skipped.length > 0 ? `; ${outcome.skipped.length} not replayed (listed above)` : '';
  if (outcome.interrupted) {
    const of = outcome.total !== undefined ? ` of ${outcome.total}` : '';
    process.stdout.write(`Stopped: replayed ${outcome.replayed}${of}${skipped}. The rest are still dead letters: run the same command again to continue.\n`);
    process.exitCode = 130;
    return;
  }
  if (outcome.replayed === 0 && outcome.skipped.length === 0) {
    const what = 'ids' in selection ? 'those ids' : selection.code ? `code ${selection.code}` : selection.class ? `class ${selection.class}` : 'any reason';
    process.stderr.write(`Nothing to replay: no dead letters for ${what}.\n`);
    process.exitCode = 1;
    return;
  }
  process.stdout.write(`Replayed ${outcome.replayed} dead letter${outcome.replayed === 1 ? '' : 's'}${skipped}.\n`);
  if (outcome.skipped.length > 0) process.exitCode = 1;
}

function positiveInteger(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, not ${value}`);
  return n;
}
