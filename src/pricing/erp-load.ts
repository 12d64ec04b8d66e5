import { priceRuleProblems, type PriceRule } from '../canonical/price.js';
import type { CallContext, PriceListSource } from '../connectors/capabilities.js';
import { asCrossdockError, CrossdockError } from '../errors/crossdock-error.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../observability/logger.js';
import type { Job, Store } from '../store/types.js';
import type { PeriodicJob } from '../worker/periodic-jobs.js';
import type { JobContext, JobHandler } from '../worker/types.js';
import type { PriceBook } from './book.js';
import { toStoredRule } from './book-store.js';

export const PRICE_LIST_QUEUE = 'prices.load';

export interface PriceListLoadDeps {
  store: Store;
  clock: Clock;
  book: PriceBook;
  /** The ERP connector's name: its rules are source `erp:<name>`. */
  erpName: string;
  priceList: PriceListSource;
  logger?: Logger;
}

/**
 * The periodic job of the ERP's full price-list load (`prices.erpLoadMinutes`); it calls the
 * ERP, so while the ERP connector is paused no load is queued.
 */
export function priceListLoadJob(erpName: string, intervalMs: number): PeriodicJob {
  return { name: `prices:erp-load:${erpName}`, queue: PRICE_LIST_QUEUE, payload: { erp: erpName }, intervalMs, target: 'erp' };
}

/**
 * Loads the ERP's whole price list and makes it the whole of source `erp:<name>`: in the store
 * first (one transaction), then in this process's book, so a price removed in the ERP leaves
 * both. A load that fails changes nothing: quotes go on from the book as it was. An ERP that is
 * down or throttling makes it the next interval's work; a price list crossdock cannot read
 * (a rule that is not valid) is dead-lettered for a person, the book untouched.
 */
export function priceListLoadHandler(deps: PriceListLoadDeps): JobHandler {
  const source = `erp:${deps.erpName}`;
  return {
    queue: PRICE_LIST_QUEUE,
    async run(job: Job, jobCtx: JobContext) {
      const result = await loadErpPriceList(deps, { correlationId: job.correlationId, signal: jobCtx.signal });
      if (result.outcome === 'skipped') {
        deps.logger?.warn({ erp: deps.erpName, code: result.error.code, err: result.error.message }, 'ERP price list load failed; the price book stays as it was');
      } else {
        deps.logger?.info({ erp: deps.erpName, source, rules: result.upserted, removed: result.removed }, 'ERP price list loaded');
      }
      return 'done';
    },
  };
}

export type PriceListLoadResult =
  | { outcome: 'loaded'; upserted: number; removed: number }
  | { outcome: 'skipped'; error: CrossdockError };

/** One full load, for the job and for tests and tools: transient failures come back as `skipped`, others are thrown. */
export async function loadErpPriceList(deps: PriceListLoadDeps, ctx: CallContext): Promise<PriceListLoadResult> {
  const source = `erp:${deps.erpName}`;
  let fetched: PriceRule[];
  try {
    fetched = await deps.priceList.priceRules(ctx);
  } catch (error) {
    const e = asCrossdockError(error);
    if (e.kind === 'transient') return { outcome: 'skipped', error: e };
    throw e;
  }
  const rules = fetched.map((rule) => ({ ...rule, source }) as PriceRule);
  const problems = rules.flatMap((rule, i) => priceRuleProblems(rule, `/${i}`));
  const ids = new Set(rules.map((r) => r.id));
  if (problems.length > 0 || ids.size !== rules.length) {
    throw new CrossdockError('target.rejected', `the ERP's price list has ${problems.length > 0 ? `rules crossdock cannot read (${problems.slice(0, 5).map((p) => `${p.pointer} ${p.detail}`).join('; ')})` : 'the same rule id twice'}; the price book was left as it was`, {
      target: deps.erpName, errors: problems.slice(0, 20),
    });
  }
  const counts = await deps.store.replacePriceRulesOf(source, rules.map(toStoredRule), deps.clock.now());
  deps.book.replaceSource(source, rules);
  return { outcome: 'loaded', ...counts };
}
