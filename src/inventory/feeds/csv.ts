import type { InventoryBatch, LevelChange } from '../model.js';
import { readInstant, readQuantity } from './cells.js';
import { FEED_FIELDS, FIGURES, headerKey, type FeedField, type InventoryFeedSettings } from './config-schema.js';
import { readCsvTable, type CsvRecord } from './csv-table.js';

/** Why a file is refused: the row as numbered in the file (the header is row 1 in most files) and the column's header. */
export interface FeedProblem {
  readonly row: number;
  /** The column's header as the file spells it; absent for a problem with the whole row or file. */
  readonly column?: string;
  readonly message: string;
}

export type FeedFileReading =
  | { ok: true; batch: InventoryBatch; warnings: string[] }
  | { ok: false; problems: FeedProblem[] };

/** What is known of the file besides its text. */
export interface FeedFileFacts {
  /** The file's modification time (ISO 8601), when it came from a folder. */
  readonly modifiedAt?: string;
}

type Located = Partial<Record<FeedField, { header: string; index: number }>>;
type Figure = 'onHand' | 'allocated' | 'inTransit';
const QUANTITIES: readonly Figure[] = ['onHand', 'allocated', 'inTransit'];

/**
 * A 3PL's stock file → the batch it stands for. Any bad row refuses the whole file, with every
 * bad row named: applying the good rows of a snapshot would zero the levels on the bad ones.
 * Rows for the same SKU and location (one per lot or bin) are added up. The batch's time is the
 * file's latest row timestamp, else the file's modification time, else `receivedAt`.
 */
export function feedCsvToInventoryBatch(text: string, feed: InventoryFeedSettings, receivedAt: string, facts: FeedFileFacts = {}): FeedFileReading {
  const reading = readCsvTable(text, feed.delimiter);
  if (!reading.ok) return { ok: false, problems: [reading.problem] };
  const { header, records } = reading.table;
  const headerProblems: FeedProblem[] = [];
  const located = locateColumns(header, feed, headerProblems);
  if (headerProblems.length > 0) return { ok: false, problems: headerProblems };
  if (records.length === 0 && feed.mode === 'snapshot') {
    return { ok: false, problems: [{ row: header.row, message: `the file has a header but no rows: as a snapshot it would set all stock at ${coveredLocations(feed, []).join(', ') || 'its locations'} to zero, so it is refused` }] };
  }

  const problems: FeedProblem[] = [];
  const levels = new Map<string, { change: LevelChange; rows: number[] }>();
  let latest: string | undefined;
  let unzoned = false;
  for (const record of records) {
    const row = readRow(record, header, located, feed, problems);
    if (!row) continue;
    if (row.timestamp) {
      if (latest === undefined || row.timestamp.iso > latest) latest = row.timestamp.iso;
      unzoned ||= !row.timestamp.zoned;
    }
    const key = `${row.change.sku}\u0000${row.change.location}`;
    const existing = levels.get(key);
    if (!existing) levels.set(key, { change: row.change, rows: [record.row] });
    else if (merge(existing, row.change, record.row, located, problems)) existing.rows.push(record.row);
  }
  if (problems.length > 0) return { ok: false, problems };

  const changes = [...levels.values()].map((l) => l.change);
  const batch: InventoryBatch = {
    source: `feed:${feed.id}`,
    sourceTimestamp: latest ?? facts.modifiedAt ?? receivedAt,
    mode: feed.mode,
    ...(feed.mode === 'snapshot' ? { locations: coveredLocations(feed, changes) } : {}),
    changes,
  };
  return { ok: true, batch, warnings: warningsFor([...levels.values()], records.length, unzoned) };
}

/** Finds each field's column; problems name what is missing or ambiguous. */
function locateColumns(header: CsvRecord, feed: InventoryFeedSettings, problems: FeedProblem[]): Located {
  const indexes = new Map<string, number[]>();
  header.cells.forEach((cell, i) => indexes.set(headerKey(cell), [...(indexes.get(headerKey(cell)) ?? []), i]));
  const present = header.cells.map((c) => JSON.stringify(c.trim())).join(', ');
  const located: Located = {};
  for (const field of FEED_FIELDS) {
    const column = feed.columns[field];
    if (!column) continue;
    const found = indexes.get(headerKey(column.header)) ?? [];
    if (found.length > 1) problems.push({ row: header.row, column: column.header, message: `the header has ${found.length} columns named "${column.header}": which one holds ${field} is unclear` });
    else if (found[0] !== undefined) located[field] = { header: header.cells[found[0]]!.trim(), index: found[0] };
    else if (column.configured) problems.push({ row: header.row, column: column.header, message: `no column "${column.header}" (columns.${field}) in the header, which has ${present}` });
  }
  const missing = (field: FeedField, why: string) => {
    if (!located[field] && !feed.columns[field]?.configured) problems.push({ row: header.row, column: feed.columns[field]?.header ?? field, message: `${why}; the header has ${present}` });
  };
  missing('sku', 'no SKU column "sku" (name it in columns.sku)');
  if (feed.mode === 'snapshot') missing('onHand', 'no on-hand column "onHand" (name it in columns.onHand): a snapshot needs it');
  if (feed.location === undefined) missing('location', 'no location column "location" and the feed has no location');
  if (problems.length === 0 && !FIGURES.some((f) => located[f])) {
    problems.push({ row: header.row, message: `none of the columns ${FIGURES.map((f) => `"${feed.columns[f]?.header ?? f}"`).join(', ')} is in the header, which has ${present}` });
  }
  return located;
}

interface Row {
  change: LevelChange;
  timestamp: { iso: string; zoned: boolean } | undefined;
}

/** One data row → its level change; problems are added for each bad cell, and undefined returned. */
function readRow(record: CsvRecord, header: CsvRecord, located: Located, feed: InventoryFeedSettings, problems: FeedProblem[]): Row | undefined {
  const before = problems.length;
  const bad = (field: FeedField | undefined, message: string) => problems.push({ row: record.row, ...(field && located[field] ? { column: located[field].header } : {}), message });
  const cellOf = (field: FeedField): string | undefined => {
    const at = located[field];
    return at === undefined ? undefined : (record.cells[at.index] ?? '').trim();
  };

  const width = header.cells.length;
  if (record.cells.length < width) bad(undefined, `the row has ${record.cells.length} fields and the header ${width}: a field is missing or the row is cut short`);
  if (record.cells.slice(width).some((c) => c.trim() !== '')) bad(undefined, `the row has ${record.cells.length} fields and the header ${width}: a value holding the delimiter "${feed.delimiter}" must be quoted`);

  const code = cellOf('sku');
  if (!code) bad('sku', 'the SKU is empty');
  const place = cellOf('location') || feed.location;
  if (!place) bad('location', 'the location is empty and the feed has no location');

  const change: LevelChange = { sku: code ? (feed.skus[code] ?? code) : '', location: place ? (feed.locations[place] ?? place) : '' };
  for (const figure of QUANTITIES) {
    const cell = cellOf(figure);
    if (cell === undefined) continue;
    if (cell === '') {
      if (figure === 'onHand' && feed.mode === 'snapshot') bad(figure, 'the on-hand quantity is empty: a snapshot gives every row one (0 for none)');
      continue;
    }
    const quantity = readQuantity(cell, feed.mode === 'delta');
    if (quantity.ok) change[figure] = quantity.value;
    else bad(figure, quantity.why);
  }
  const expected = cellOf('expectedAt');
  if (expected === '') change.expectedAt = null;
  else if (expected !== undefined) {
    const instant = readInstant(expected);
    if (instant.ok) change.expectedAt = instant.value.dateOnly ? expected.slice(0, 10) : instant.value.iso;
    else bad('expectedAt', instant.why);
  }
  const uom = cellOf('uom');
  if (uom) change.uom = uom;
  let timestamp: Row['timestamp'];
  const stamp = cellOf('timestamp');
  if (stamp) {
    const instant = readInstant(stamp);
    if (instant.ok) timestamp = instant.value;
    else bad('timestamp', instant.why);
  }
  if (problems.length === before && !FIGURES.some((f) => change[f] !== undefined)) {
    bad(undefined, `the row gives none of ${FIGURES.filter((f) => located[f]).map((f) => located[f]!.header).join(', ')}`);
  }
  return problems.length === before ? { change, timestamp } : undefined;
}

/** Adds a further row for the same level (another lot or bin); false with a problem when it cannot be added. */
function merge(into: { change: LevelChange; rows: number[] }, next: LevelChange, row: number, located: Located, problems: FeedProblem[]): boolean {
  const first = into.change;
  if ((first.uom ?? '') !== (next.uom ?? '')) {
    problems.push({
      row, ...(located.uom ? { column: located.uom.header } : {}),
      message: `${next.sku} at ${next.location} is counted in "${next.uom ?? ''}" here and in "${first.uom ?? ''}" on row ${into.rows[0]}: rows for one SKU and location are added up, so they need one unit`,
    });
    return false;
  }
  for (const figure of QUANTITIES) {
    const a = first[figure];
    const b = next[figure];
    if (b !== undefined) first[figure] = (a ?? 0) + b;
  }
  // Several in-transit lots: the latest date, so stock is never promised earlier than it comes.
  if (next.expectedAt !== undefined) {
    const a = first.expectedAt;
    const b = next.expectedAt;
    first.expectedAt = a === undefined || a === null ? b : b === null ? a : (Date.parse(a) >= Date.parse(b) ? a : b);
  }
  return true;
}

/** A snapshot covers the feed's own locations (its default and every mapped one) and any the file names. */
function coveredLocations(feed: InventoryFeedSettings, changes: readonly LevelChange[]): string[] {
  const all = new Set<string>([...(feed.location ? [feed.location] : []), ...Object.values(feed.locations), ...changes.map((c) => c.location)]);
  return [...all].sort();
}

function warningsFor(levels: readonly { change: LevelChange; rows: number[] }[], rowCount: number, unzoned: boolean): string[] {
  const warnings: string[] = [];
  if (rowCount === 0) warnings.push('the file has a header but no rows: nothing changes');
  const merged = levels.filter((l) => l.rows.length > 1);
  if (merged.length > 0) {
    const examples = merged.slice(0, 3).map((l) => `${l.change.sku} at ${l.change.location} (rows ${l.rows.join(', ')})`).join('; ');
    warnings.push(`${merged.length} SKU and location pair(s) appear on several rows (lots or bins), and their figures were added up: ${examples}${merged.length > 3 ? '; …' : ''}`);
  }
  if (unzoned) warnings.push('row timestamps have no time zone: read as UTC');
  return warnings;
}
