import type { ChannelInstance } from '../channels/instances.js';
import { CHANNEL_POLL_QUEUE } from '../channels/jobs.js';
import type { Config } from '../config/config.js';
import { EDI_OVERDUE_SCAN_QUEUE } from '../edi/overdue.js';
import { EDI_POLL_QUEUE, type EdiDeps } from '../edi/runtime.js';
import { ERP_CHANGES_QUEUE, ERP_FEEDS } from '../flows/erp-changes.js';
import { ERP_STOCK_SNAPSHOT_QUEUE } from '../flows/erp-stock-snapshot.js';
import type { InventoryFeed } from '../inventory/feeds/feeds.js';
import { inventoryFeedPeriodicJobs } from '../inventory/feeds/poll.js';
import { INVENTORY_RECONCILE_QUEUE } from '../inventory/reconcile.js';
import { priceListLoadJob } from '../pricing/erp-load.js';
import type { PeriodicJob } from '../worker/periodic-jobs.js';
import type { AttachedErp } from './erp.js';

export interface PeriodicSources {
  config: Config;
  channels: ReadonlyMap<string, ChannelInstance>;
  edi: EdiDeps;
  feeds: ReadonlyMap<string, InventoryFeed>;
  erp: AttachedErp;
}

/**
 * Everything crossdock does on a timer, as jobs: one per source and interval across all
 * processes (`startPeriodicJobs`). A job that calls a target names it, so a paused connector
 * gets no runs queued to wait for its resume.
 */
export function periodicJobsOf({ config, channels, edi, feeds, erp }: PeriodicSources): PeriodicJob[] {
  const connector = erp.connector;
  return [
    // Channels whose connector can list recent orders are asked at their interval.
    ...[...channels.values()].filter((c) => c.connector.polling).map((c) => ({
      name: `poll:${c.id}`, queue: CHANNEL_POLL_QUEUE, payload: { instance: c.id }, intervalMs: c.config.pollIntervalSeconds * 1000, target: c.id,
    })),
    ...[...edi.partners.values()].filter((p) => p.transport).map((p) => ({
      name: `edi-poll:${p.id}`, queue: EDI_POLL_QUEUE, payload: { partner: p.id }, intervalMs: p.settings.pollIntervalSeconds * 1000, target: `edi:${p.id}`,
    })),
    // Missing 997s are looked for every minute: the windows are hours.
    ...(edi.partners.size > 0 ? [{ name: 'edi-overdue-scan', queue: EDI_OVERDUE_SCAN_QUEUE, payload: {}, intervalMs: 60_000 }] : []),
    ...inventoryFeedPeriodicJobs(feeds.values()),
    ...(connector.stock?.allLevels && config.erp.stockSnapshotMs > 0
      ? [{ name: 'erp-stock-snapshot', queue: ERP_STOCK_SNAPSHOT_QUEUE, payload: {}, intervalMs: config.erp.stockSnapshotMs, target: 'erp' }]
      : []),
    ...(connector.priceList && config.prices.erpLoadMs > 0 ? [priceListLoadJob(connector.name, config.prices.erpLoadMs)] : []),
    { name: 'inventory-reconcile', queue: INVENTORY_RECONCILE_QUEUE, payload: {}, intervalMs: config.inventory.reconcileMs },
    // An ERP without webhooks is asked what changed: shipments, invoices, stock.
    ...(connector.changes
      ? ERP_FEEDS.map((feed) => ({ name: `erp-changes:${feed}`, queue: ERP_CHANGES_QUEUE, payload: { feed }, intervalMs: config.erp.changePollSeconds * 1000, target: 'erp' }))
      : []),
  ];
}
