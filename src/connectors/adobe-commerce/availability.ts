import type { CallContext } from '../capabilities.js';
import type { AvailabilityUpdate } from '../../canonical/availability.js';
import type { AvailabilitySink, PublishResult } from '../../channels/types.js';
import { CrossdockError } from '../../errors/crossdock-error.js';
import type { AdobeCommerceClient, Refusal, SourceItem } from './client.js';
import { errorParameterValues } from './errors.js';
import { isObject, num, text } from './document.js';

export interface AvailabilityOptions {
  client: AdobeCommerceClient;
  system: string;
  batchSize: number;
  sources: Readonly<Record<string, string>>;
  defaultSource: string;
}

/** One update as a source item, with the SKU a refusal is reported by. */
interface Pending {
  sku: string;
  item: SourceItem;
}

/** Extra calls spent isolating refused items in one publish before the batch is refused as a whole. */
const ISOLATION_BUDGET = 32;

/** Canonical availability → MSI source items (pure). `status` is 1 (in stock) when quantity > 0. */
export function availabilityToSourceItems(updates: readonly AvailabilityUpdate[], options: Pick<AvailabilityOptions, 'sources' | 'defaultSource'>): { pending: Pending[]; unmappedLocations: string[] } {
  const unmapped = new Set<string>();
  const pending = updates.map((update) => {
    const source = update.location === undefined ? options.defaultSource : options.sources[update.location];
    if (update.location !== undefined && source === undefined) unmapped.add(update.location);
    const item: SourceItem = {
      // The runtime already turned crossdock SKUs into the channel's (src/channels/outbound-skus.ts).
      sku: update.sku,
      source_code: source ?? options.defaultSource,
      quantity: update.available,
      status: update.available > 0 ? 1 : 0,
    };
    return { sku: update.sku, item };
  });
  return { pending, unmappedLocations: [...unmapped] };
}

/**
 * Availability out through MSI `POST /V1/inventory/source-items` (SourceItemsSaveInterface), a
 * whole batch in one transaction: a 400 saves nothing. A refusal is narrowed down so the good
 * updates still go out: a Web API input limit ("Maximum items of type %type is %max") re-sends
 * in batches of that size; an error naming SKUs of the batch rejects those and re-sends the
 * rest; an error naming none is isolated by halving the batch, within a small budget of calls,
 * after which the batch fails as a contract problem (`target.rejected`), e.g. an unknown source.
 */
export function createAdobeCommerceAvailability(options: AvailabilityOptions): AvailabilitySink {
  return {
    maxBatch: options.batchSize,
    async publish(updates: readonly AvailabilityUpdate[], ctx: CallContext): Promise<PublishResult> {
      const { pending, unmappedLocations } = availabilityToSourceItems(updates, options);
      const run = { calls: 0, saved: 0, budget: ISOLATION_BUDGET, rejected: [] as { sku: string; reason: string }[] };
      for (let start = 0; start < pending.length; start += options.batchSize) {
        await send(pending.slice(start, start + options.batchSize), run, options, ctx);
      }
      return {
        detail: { saved: run.saved, calls: run.calls, ...(unmappedLocations.length === 0 ? {} : { unmappedLocations, sentTo: options.defaultSource }) },
        ...(run.rejected.length === 0 ? {} : { rejected: run.rejected }),
      };
    },
  };
}

interface Run {
  calls: number;
  saved: number;
  budget: number;
  rejected: { sku: string; reason: string }[];
}

async function send(batch: Pending[], run: Run, options: AvailabilityOptions, ctx: CallContext): Promise<void> {
  if (batch.length === 0) return;
  run.calls += 1;
  const answer = await options.client.saveSourceItems(batch.map((p) => p.item), ctx);
  if (!('refused' in answer)) {
    run.saved += batch.length;
    return;
  }
  const limit = inputLimit(answer);
  if (limit !== undefined && limit < batch.length) {
    for (let start = 0; start < batch.length; start += limit) await send(batch.slice(start, start + limit), run, options, ctx);
    return;
  }
  const named = new Set(errorParameterValues(answer.body));
  const refused = batch.filter((p) => named.has(p.item.sku) || answer.message.includes(`"${p.item.sku}"`));
  if (refused.length > 0) {
    for (const p of refused) run.rejected.push({ sku: p.sku, reason: answer.message });
    await send(batch.filter((p) => !refused.includes(p)), run, options, ctx);
    return;
  }
  if (batch.length === 1) {
    run.rejected.push({ sku: batch[0]!.sku, reason: answer.message });
    return;
  }
  if (run.budget < 2) {
    throw new CrossdockError('target.rejected', `Adobe Commerce refused the source items: ${answer.message}`, {
      target: options.system,
      context: { operation: 'sourceItems.save', status: answer.status, body: answer.body, items: batch.length },
    });
  }
  run.budget -= 2;
  const half = Math.ceil(batch.length / 2);
  await send(batch.slice(0, half), run, options, ctx);
  await send(batch.slice(half), run, options, ctx);
}

/** The `%max` of Magento's Web API input limit error, when that is the refusal. */
function inputLimit(refusal: Refusal): number | undefined {
  if (!isObject(refusal.body) || !/^Maximum items of type/i.test(text(refusal.body.message) ?? '')) return undefined;
  const parameters = refusal.body.parameters;
  const max = isObject(parameters) ? num(parameters.max) : undefined;
  return max !== undefined && Number.isInteger(max) && max > 0 ? max : undefined;
}
