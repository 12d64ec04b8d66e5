/**
 * The inventory engine's vocabulary (DESIGN.md flow 3). Every source — the ERP's stock feed, a
 * 3PL's CSV file, an EDI 846, a webhook or an API call — becomes an `InventoryBatch`; the engine
 * applies it, journals it and publishes what changed.
 */

/**
 * How a batch's figures are read:
 * - `delta`: signed increments (+5 received, −2 picked) to the levels named;
 * - `set`: the levels named now stand at these figures (others are untouched);
 * - `snapshot`: the whole truth for `locations` (or every location the batch names): levels
 *   there that the batch does not list are zero. A snapshot corrects drift.
 */
export type BatchMode = 'delta' | 'set' | 'snapshot';

/** One SKU at one location. Absent figures are unchanged (delta: zero increment). */
export interface LevelChange {
  sku: string;
  location: string;
  /** Physically there. */
  onHand?: number;
  /** Promised by the ERP or WMS to orders it holds (sales orders, picks). */
  allocated?: number;
  /** On its way to this location (purchase orders, transfers). */
  inTransit?: number;
  /** When the in-transit quantity is expected (ISO 8601 date or timestamp); null clears it. */
  expectedAt?: string | null;
  /** Unit of the figures; converted to the SKU's stock unit (`inventory.units`). @default the stock unit */
  uom?: string;
}

export interface InventoryBatch {
  /** Who says so: `erp:sandbox`, `3pl:acme`, `edi:acme-3pl`, `api` … (journal `source`). */
  source: string;
  /** When the source measured these figures (ISO 8601). An older figure never overwrites a newer one. */
  sourceTimestamp: string;
  mode: BatchMode;
  /** Snapshot only: the locations it covers. @default the locations its changes name */
  locations?: string[];
  changes: LevelChange[];
}

/** How a batch reached crossdock, for its journal entry. */
export interface IngestOrigin {
  correlationId: string;
  /** The input as received (a CSV file, an 846, a JSON body), kept verbatim. */
  raw: string;
  /** Makes a redelivered file or request a no-op (`feed:acme:inv-2026-11-26.csv`). */
  idempotencyKey?: string;
  /** Journal message kind. @default inventory */
  kind?: string;
}

export interface IngestResult {
  outcome: 'applied' | 'duplicate';
  /** The journal message of the batch (the first one's, for a duplicate). */
  messageId: string;
  /** Levels whose figures changed. */
  changed: number;
  /** Changes older than what crossdock already holds for their level, ignored. */
  stale: number;
}

/** What inventory sources hand their batches to. */
export interface InventoryIntake {
  ingest(batch: InventoryBatch, origin: IngestOrigin): Promise<IngestResult>;
}
