import type { InventoryBatch, LevelChange } from './model.js';
import type { LevelFigures, LevelTable } from './level-table.js';

type Figure = 'onHand' | 'allocated' | 'inTransit';
const FIGURES: readonly Figure[] = ['onHand', 'allocated', 'inTransit'];

/** One level whose figures a batch changed, as journaled. */
export interface LevelChangeRecord {
  sku: string;
  location: string;
  before: { onHand: number; allocated: number; inTransit: number };
  after: { onHand: number; allocated: number; inTransit: number; expectedAt: string | null };
}

export interface AppliedBatch {
  changed: LevelChangeRecord[];
  /** Changes older than the level's figures, ignored. */
  stale: { sku: string; location: string }[];
  /** Rows whose stored copy must be written (changed, or newly timestamped). */
  touched: number[];
}

/** Converts a quantity counted in `uom` into the SKU's stock unit. */
export type ToStockUnits = (sku: string, uom: string | undefined, quantity: number) => number;

/**
 * Applies one batch to the table (see `BatchMode`). An update older than the figures a level
 * already has is stale and ignored: a snapshot taken at 10:00 arriving after one taken at 10:05
 * changes nothing, and a delta from before the last snapshot is already counted in it.
 */
export function applyBatch(table: LevelTable, batch: InventoryBatch, toStockUnits: ToStockUnits): AppliedBatch {
  const at = Date.parse(batch.sourceTimestamp);
  const result: AppliedBatch = { changed: [], stale: [], touched: [] };
  const listed = new Set<number>();
  for (const change of batch.changes) {
    const i = table.row(change.sku, change.location);
    listed.add(i);
    if (table.asOf[i]! > at) {
      result.stale.push({ sku: change.sku, location: change.location });
      continue;
    }
    const before = table.figures(i);
    const after = batch.mode === 'delta' ? added(before, change, toStockUnits) : replaced(before, change, toStockUnits);
    if (batch.mode !== 'delta') table.asOf[i] = at;
    record(table, i, before, after, result);
  }
  if (batch.mode === 'snapshot') zeroUnlisted(table, batch, at, listed, result);
  return result;
}

function added(before: LevelFigures, change: LevelChange, toStockUnits: ToStockUnits): LevelFigures {
  const after = { ...before };
  for (const f of FIGURES) {
    const q = change[f];
    if (q !== undefined) after[f] = before[f] + toStockUnits(change.sku, change.uom, q);
  }
  if (change.expectedAt !== undefined) after.expectedAt = parseExpected(change.expectedAt);
  return after;
}

function replaced(before: LevelFigures, change: LevelChange, toStockUnits: ToStockUnits): LevelFigures {
  const after = { ...before };
  for (const f of FIGURES) {
    const q = change[f];
    if (q !== undefined) after[f] = toStockUnits(change.sku, change.uom, q);
  }
  if (change.expectedAt !== undefined) after.expectedAt = parseExpected(change.expectedAt);
  return after;
}

/**
 * A snapshot is the whole truth for its locations: a level there that it does not list has
 * none of the figures the snapshot reports (a 3PL that sends only on-hand leaves the ERP's
 * allocations alone).
 */
function zeroUnlisted(table: LevelTable, batch: InventoryBatch, at: number, listed: Set<number>, result: AppliedBatch): void {
  const scope = new Set(batch.locations ?? batch.changes.map((c) => c.location));
  const reported = FIGURES.filter((f) => batch.changes.some((c) => c[f] !== undefined));
  if (reported.length === 0) return;
  for (let i = 0; i < table.size; i += 1) {
    if (listed.has(i) || !scope.has(table.location(i)) || table.asOf[i]! > at) continue;
    const before = table.figures(i);
    const after = { ...before };
    for (const f of reported) after[f] = 0;
    table.asOf[i] = at;
    record(table, i, before, after, result);
  }
}

function record(table: LevelTable, i: number, before: LevelFigures, after: LevelFigures, result: AppliedBatch): void {
  table.set(i, after);
  result.touched.push(i);
  const same = before.onHand === after.onHand && before.allocated === after.allocated && before.inTransit === after.inTransit
    && Object.is(before.expectedAt, after.expectedAt);
  if (same) return;
  result.changed.push({
    sku: table.sku(i), location: table.location(i),
    before: { onHand: before.onHand, allocated: before.allocated, inTransit: before.inTransit },
    after: {
      onHand: after.onHand, allocated: after.allocated, inTransit: after.inTransit,
      expectedAt: Number.isNaN(after.expectedAt) ? null : new Date(after.expectedAt).toISOString(),
    },
  });
}

function parseExpected(value: string | null): number {
  return value === null ? Number.NaN : Date.parse(value);
}
