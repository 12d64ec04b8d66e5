import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveInventoryFeeds, type InventoryFeedFile, type InventoryFeedSettings } from './config-schema.js';
import { feedCsvToInventoryBatch, type FeedFileReading } from './csv.js';
import { decodeFeedBytes } from './csv-table.js';

const RECEIVED = '2026-11-26T12:00:00.000Z';
const fixture = (name: string) => decodeFeedBytes(readFileSync(new URL(`./fixtures/${name}`, import.meta.url))).text;

/** A feed as the configuration would give it, with every default applied. */
function feed(file: Omit<InventoryFeedFile, 'httpToken'> & { httpToken?: string }): InventoryFeedSettings {
  const problems: string[] = [];
  const [settings] = resolveInventoryFeeds([{ httpToken: 'token-of-sixteen-chars', ...file }], {}, problems);
  expect(problems).toEqual([]);
  return settings!;
}

function accepted(reading: FeedFileReading) {
  if (!reading.ok) throw new Error(`refused: ${JSON.stringify(reading.problems)}`);
  return reading;
}

function refused(reading: FeedFileReading) {
  if (reading.ok) throw new Error('accepted a file that should be refused');
  return reading.problems;
}

const fcFeed = feed({
  id: 'fc-net', mode: 'snapshot',
  columns: { sku: 'SKU', location: 'Fulfillment Center', onHand: 'On Hand Qty', allocated: 'Committed Qty', inTransit: 'Incoming Qty' },
  skus: { 'WID-100': 'SKU-1', 'WID-200': 'SKU-2' },
  locations: { 'Cicero (IL)': 'CHI-3PL', 'Moreno Valley (CA)': 'ONT-3PL' },
});

describe('feedCsvToInventoryBatch', () => {
  it('reads a per-fulfilment-centre export through the SKU and location cross-references', () => {
    const { batch, warnings } = accepted(feedCsvToInventoryBatch(fixture('fc-inventory-by-location.csv'), fcFeed, RECEIVED));
    expect(batch).toEqual({
      source: 'feed:fc-net', sourceTimestamp: RECEIVED, mode: 'snapshot', locations: ['CHI-3PL', 'ONT-3PL'],
      changes: [
        { sku: 'SKU-1', location: 'CHI-3PL', onHand: 412, allocated: 37, inTransit: 120 },
        { sku: 'SKU-1', location: 'ONT-3PL', onHand: 88, allocated: 0, inTransit: 0 },
        { sku: 'SKU-2', location: 'CHI-3PL', onHand: 0, allocated: 0, inTransit: 240 },
        // Not in `skus`: the 3PL's code is the SKU; "1,250" is a grouped thousand, not two fields.
        { sku: 'GSK-34', location: 'ONT-3PL', onHand: 1250, allocated: 3, inTransit: 0 },
      ],
    });
    expect(warnings).toEqual([]);
  });

  it('reads a Windows export with a BOM and CRLF line ends, matching headers regardless of case', () => {
    const text = fixture('warehouse-export-bom-crlf.csv');
    expect(text).toContain('\r\n');
    const settings = feed({ id: 'rno', location: 'RNO-3PL', columns: { sku: 'sku', onHand: 'ON HAND', allocated: ' allocated ' } });
    const { batch } = accepted(feedCsvToInventoryBatch(text, settings, RECEIVED));
    expect(batch.locations).toEqual(['RNO-3PL']);
    expect(batch.changes).toEqual([
      { sku: 'SKU-1', location: 'RNO-3PL', onHand: 150, allocated: 20 },
      { sku: 'SKU-2', location: 'RNO-3PL', onHand: 0, allocated: 0 },
      { sku: 'SKU-3', location: 'RNO-3PL', onHand: 75, allocated: 75 },
    ]);
  });

  it('adds up the lot rows of one item, keeps their unit and takes the latest row timestamp as the batch time', () => {
    const settings = feed({
      id: 'dal', columns: { sku: 'Item Number', location: 'Facility', onHand: 'Quantity On Hand', allocated: 'Quantity Allocated', uom: 'UOM', timestamp: 'Snapshot Date' },
      skus: { '100-2001': 'SKU-1', '100-2002': 'SKU-5' }, locations: { DC01: 'DAL-3PL', DC02: 'ATL-3PL' },
    });
    const { batch, warnings } = accepted(feedCsvToInventoryBatch(fixture('lots-with-units.csv'), settings, RECEIVED, { modifiedAt: '2026-11-26T11:00:00.000Z' }));
    expect(batch.sourceTimestamp).toBe('2026-11-26T05:02:13.000Z');
    expect(batch.changes).toEqual([
      { sku: 'SKU-1', location: 'DAL-3PL', onHand: 300, allocated: 40, uom: 'EA' },
      { sku: 'SKU-5', location: 'DAL-3PL', onHand: 12, allocated: 2, uom: 'CS' },
      { sku: 'SKU-1', location: 'ATL-3PL', onHand: 18, allocated: 0, uom: 'EA' },
    ]);
    expect(warnings.join('\n')).toContain('SKU-1 at DAL-3PL (rows 2, 3)');
  });

  it('refuses lot rows of one item counted in different units, naming both rows', () => {
    const text = 'sku,location,onHand,uom\nSKU-1,DC1,4,CS\nSKU-1,DC1,7,EA\n';
    const problems = refused(feedCsvToInventoryBatch(text, feed({ id: 'u' }), RECEIVED));
    expect(problems).toEqual([{ row: 3, column: 'uom', message: expect.stringContaining('"EA" here and in "CS" on row 2') }]);
  });

  it('reads signed quantities of a delta feed and sums the moves of one level', () => {
    const settings = feed({
      id: 'moves', mode: 'delta', columns: { sku: 'SKU', location: 'Warehouse', onHand: 'Quantity', timestamp: 'Transaction Date' }, locations: { RNO: 'RNO-3PL' },
    });
    const { batch, warnings } = accepted(feedCsvToInventoryBatch(fixture('adjustments-delta.csv'), settings, RECEIVED));
    expect(batch).toEqual({
      source: 'feed:moves', sourceTimestamp: '2026-11-26T09:30:00.000Z', mode: 'delta',
      changes: [{ sku: 'SKU-1', location: 'RNO-3PL', onHand: 46 }, { sku: 'SKU-2', location: 'RNO-3PL', onHand: -3 }],
    });
    expect(warnings).toContain('row timestamps have no time zone: read as UTC');
  });

  it('reads in-transit quantities with their expected dates, keeping the later date of two ASNs', () => {
    const settings = feed({
      id: 'asn', mode: 'set', location: 'RNO-3PL', locations: { RNO: 'RNO-3PL' },
      columns: { sku: 'Item', location: 'Ship To', inTransit: 'Qty Shipped', expectedAt: 'Est. Arrival' },
    });
    const { batch } = accepted(feedCsvToInventoryBatch(fixture('asn-in-transit.csv'), settings, RECEIVED));
    expect(batch.locations).toBeUndefined();
    expect(batch.changes).toEqual([
      { sku: 'SKU-1', location: 'RNO-3PL', inTransit: 700, expectedAt: '2026-12-09' },
      { sku: 'SKU-4', location: 'RNO-3PL', inTransit: 96, expectedAt: '2026-12-05T22:00:00.000Z' },
    ]);
  });

  it('refuses the whole file when any row is bad, naming every bad row and its column as the file has them', () => {
    const problems = refused(feedCsvToInventoryBatch(fixture('bad-rows.csv'), fcFeed, RECEIVED));
    expect(problems.map((p) => [p.row, p.column ?? null])).toEqual([
      [3, 'SKU'],
      [4, 'On Hand Qty'],
      [5, 'On Hand Qty'],
      [6, 'Committed Qty'],
      [7, null],
      [7, 'On Hand Qty'],
    ]);
    expect(problems[1]!.message).toBe('"twelve" is not a number');
    expect(problems[2]!.message).toContain('negative; only a delta feed');
    expect(problems[4]!.message).toContain('must be quoted');
  });

  it('allows negative figures in a delta feed only', () => {
    const text = 'sku,location,onHand\nSKU-1,DC1,-4\n';
    expect(accepted(feedCsvToInventoryBatch(text, feed({ id: 'd', mode: 'delta' }), RECEIVED)).batch.changes[0]!.onHand).toBe(-4);
    expect(refused(feedCsvToInventoryBatch(text, feed({ id: 's', mode: 'set' }), RECEIVED))[0]).toMatchObject({ row: 2, column: 'onHand' });
  });

  it('refuses an empty file, and one of blank lines and a BOM, with a clear problem', () => {
    for (const text of ['', '\ufeff\r\n\r\n', '  \n']) {
      expect(refused(feedCsvToInventoryBatch(text, feed({ id: 'e' }), RECEIVED))).toEqual([{ row: 1, message: expect.stringContaining('the file is empty') }]);
    }
  });

  it('refuses a snapshot with a header and no rows, which would zero the feed\'s locations, but accepts it as a set', () => {
    const text = 'sku,location,onHand\n';
    const problems = refused(feedCsvToInventoryBatch(text, feed({ id: 'e', location: 'DC1' }), RECEIVED));
    expect(problems[0]!.message).toContain('set all stock at DC1 to zero');
    const reading = accepted(feedCsvToInventoryBatch(text, feed({ id: 'e', mode: 'set' }), RECEIVED));
    expect(reading.batch.changes).toEqual([]);
    expect(reading.warnings).toContain('the file has a header but no rows: nothing changes');
  });

  it('names a configured column missing from the header, listing the header it has', () => {
    const problems = refused(feedCsvToInventoryBatch('Item,Qty\nA,1\n', fcFeed, RECEIVED));
    expect(problems.map((p) => p.column)).toEqual(['SKU', 'Fulfillment Center', 'On Hand Qty', 'Committed Qty', 'Incoming Qty']);
    expect(problems[0]!.message).toBe('no column "SKU" (columns.sku) in the header, which has "Item", "Qty"');
  });

  it('refuses a file read with the wrong delimiter: its header is one column', () => {
    const problems = refused(feedCsvToInventoryBatch('sku;location;onHand\nSKU-1;DC1;4\n', feed({ id: 'x' }), RECEIVED));
    expect(problems[0]).toMatchObject({ row: 1, column: 'sku' });
    expect(accepted(feedCsvToInventoryBatch('sku;location;onHand\nSKU-1;DC1;4\n', feed({ id: 'x', delimiter: ';' }), RECEIVED)).batch.changes).toHaveLength(1);
  });

  it('numbers rows as lines of the file, across blank lines and quoted line breaks', () => {
    const text = 'sku,location,onHand,note\r\nSKU-1,DC1,1,ok\r\n\r\n"SKU-2",DC1,2,"two\r\nlines"\r\nSKU-3,DC1,x,bad\r\n';
    expect(refused(feedCsvToInventoryBatch(text, feed({ id: 'n' }), RECEIVED))).toEqual([{ row: 6, column: 'onHand', message: '"x" is not a number' }]);
  });

  it('names the row of a broken quote', () => {
    const problems = refused(feedCsvToInventoryBatch('sku,location,onHand\nSKU-1,DC1,1\n"SKU-2,DC1,2\n', feed({ id: 'q' }), RECEIVED));
    expect(problems).toEqual([{ row: 3, message: expect.stringContaining('not readable CSV') }]);
    const afterQuotedBreak = 'sku,location,onHand\r\n"SKU\r\n1",DC1,1\r\n"SKU-2"x,DC1,2\r\n';
    expect(refused(feedCsvToInventoryBatch(afterQuotedBreak, feed({ id: 'q' }), RECEIVED))).toEqual([{ row: 4, message: expect.stringContaining('Invalid Closing Quote') }]);
  });

  it('takes the file modification time as the batch time when rows carry none, else the time received', () => {
    const text = 'sku,location,onHand\nSKU-1,DC1,1\n';
    expect(accepted(feedCsvToInventoryBatch(text, feed({ id: 't' }), RECEIVED, { modifiedAt: '2026-11-26T06:00:00.000Z' })).batch.sourceTimestamp).toBe('2026-11-26T06:00:00.000Z');
    expect(accepted(feedCsvToInventoryBatch(text, feed({ id: 't' }), RECEIVED)).batch.sourceTimestamp).toBe(RECEIVED);
  });

  it('refuses impossible dates and a blank on-hand in a snapshot', () => {
    const text = 'sku,location,onHand,timestamp\nSKU-1,DC1,,2026-11-26T06:00:00Z\nSKU-2,DC1,3,2026-02-30\n';
    expect(refused(feedCsvToInventoryBatch(text, feed({ id: 'd' }), RECEIVED))).toEqual([
      { row: 2, column: 'onHand', message: expect.stringContaining('empty') },
      { row: 3, column: 'timestamp', message: '"2026-02-30" is not a real date and time' },
    ]);
  });

  it('covers in a snapshot every location the feed maps, so a warehouse missing from the file is zeroed', () => {
    const text = 'SKU,Fulfillment Center,On Hand Qty,Committed Qty,Incoming Qty\nWID-100,Cicero (IL),5,0,0\n';
    expect(accepted(feedCsvToInventoryBatch(text, fcFeed, RECEIVED)).batch.locations).toEqual(['CHI-3PL', 'ONT-3PL']);
  });

  it('ignores columns no field names and extra empty trailing fields', () => {
    const text = 'sku,location,onHand,Barcode\nSKU-1,DC1,4,0123,,\n';
    expect(accepted(feedCsvToInventoryBatch(text, feed({ id: 'i' }), RECEIVED)).batch.changes).toEqual([{ sku: 'SKU-1', location: 'DC1', onHand: 4 }]);
  });

  it('reads a tab-separated file', () => {
    const text = 'sku\tlocation\tonHand\nSKU-1\tDC1\t9\n';
    expect(accepted(feedCsvToInventoryBatch(text, feed({ id: 'tsv', delimiter: '\t' }), RECEIVED)).batch.changes[0]!.onHand).toBe(9);
  });
});

describe('decodeFeedBytes', () => {
  it('reads Windows-1252 bytes that are not UTF-8, with a warning', () => {
    const decoded = decodeFeedBytes(Buffer.from([0x53, 0x4b, 0x55, 0x2c, 0x43, 0x61, 0x66, 0xe9]));
    expect(decoded).toEqual({ text: 'SKU,Café', warning: 'the file is not UTF-8: read as Windows-1252' });
    expect(decodeFeedBytes(Buffer.from('SKU,Café', 'utf8'))).toEqual({ text: 'SKU,Café' });
  });
});
