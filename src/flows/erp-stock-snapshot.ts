import type { CallContext, StockSource } from '../connectors/capabilities.js';
import { asCrossdockError } from '../errors/crossdock-error.js';
import type { InventoryIntake } from '../inventory/model.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../observability/logger.js';
import type { Job } from '../store/types.js';
import type { JobContext, JobHandler } from '../worker/types.js';

export const ERP_STOCK_SNAPSHOT_QUEUE = 'erp.stock-snapshot';

export interface ErpStockSnapshotDeps {
  clock: Clock;
  logger?: Logger;
  /** The ERP's name: the batch's source, so that it counts as the ERP's allocation. */
  erpName: string;
  stock: Required<Pick<StockSource, 'allLevels'>>;
  inventory: InventoryIntake;
}

/**
 * The ERP's whole stock, read now and then as one snapshot of its warehouses (DESIGN.md flow 3:
 * "a snapshot corrects drift"). The change feed brings what moved; this brings what never moved
 * since crossdock started (the first run fills an empty engine) and mends anything a missed
 * change left behind. Only the differences are journaled as changes and published.
 */
export function erpStockSnapshotHandler(deps: ErpStockSnapshotDeps): JobHandler {
  return {
    queue: ERP_STOCK_SNAPSHOT_QUEUE,
    async run(job: Job, jobCtx: JobContext) {
      const takenAt = deps.clock.now();
      const ctx: CallContext = { correlationId: job.correlationId, signal: jobCtx.signal };
      let levels;
      try {
        levels = await deps.stock.allLevels(ctx);
      } catch (error) {
        const e = asCrossdockError(error);
        if (e.kind !== 'transient') throw e;
        deps.logger?.warn({ erp: deps.erpName, code: e.code, err: e.message }, 'ERP stock snapshot failed; the next one is due at its interval');
        return 'done';
      }
      if (levels.length === 0) return 'done';
      const result = await deps.inventory.ingest(
        {
          source: deps.erpName, sourceTimestamp: new Date(takenAt).toISOString(), mode: 'snapshot',
          locations: [...new Set(levels.map((l) => l.location))],
          changes: levels.map((l) => ({ sku: l.sku, location: l.location, onHand: l.onHand, allocated: Math.max(0, l.onHand - l.forecast), uom: l.uom })),
        },
        { correlationId: job.correlationId, raw: JSON.stringify(levels), kind: 'inventory-snapshot' },
      );
      deps.logger?.info({ erp: deps.erpName, levels: levels.length, changed: result.changed }, 'ERP stock snapshot taken');
      return 'done';
    },
  };
}
