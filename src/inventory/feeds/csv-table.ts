import { CsvError, parse } from 'csv-parse/sync';

/** One record of a CSV file, with the line of the file it starts on (what a person finds in an editor). */
export interface CsvRecord {
  readonly row: number;
  readonly cells: readonly string[];
}

/** A CSV file read into its header and data records; blank lines and all-empty records are left out. */
export interface CsvTable {
  readonly header: CsvRecord;
  readonly records: readonly CsvRecord[];
}

export type CsvTableReading =
  | { ok: true; table: CsvTable }
  | { ok: false; problem: { row: number; message: string } };

/**
 * Reads CSV text (RFC 4180 quoting, CRLF, LF or CR line ends, a leading BOM) into records.
 * Row numbers are counted here from the bytes csv-parse reports, because its own line counter
 * drifts after a quoted field holding a CRLF.
 */
export function readCsvTable(text: string, delimiter: string): CsvTableReading {
  const bytes = Buffer.from(text, 'utf8');
  let parsed: ParsedRecord[];
  try {
    parsed = parseRecords(bytes, delimiter);
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    return { ok: false, problem: { row: failingRow(bytes, delimiter, error), message: `the file is not readable CSV: ${csvReason(error)}` } };
  }
  const records: CsvRecord[] = [];
  let offset = 0;
  let line = 1;
  for (const { record, info } of parsed) {
    const row = line;
    line += lineBreaks(bytes, offset, info.bytes);
    offset = info.bytes;
    if (record.every((cell) => cell.trim() === '')) continue;
    records.push({ row, cells: record });
  }
  const [header, ...rest] = records;
  if (!header) return { ok: false, problem: { row: 1, message: 'the file is empty: it needs a header row naming its columns, then one row per SKU and location' } };
  return { ok: true, table: { header, records: rest } };
}

interface ParsedRecord {
  record: string[];
  /** Bytes read up to the end of this record, its line break included. */
  info: { bytes: number };
}

function parseRecords(bytes: Buffer, delimiter: string, to?: number): ParsedRecord[] {
  // With `info`, csv-parse returns { record, info } per record; its typings do not follow the option.
  return parse(bytes, { bom: true, delimiter, info: true, relax_column_count: true, skip_empty_lines: false, ...(to === undefined ? {} : { to }) }) as unknown as ParsedRecord[];
}

/** The line the unreadable record starts on: where the records read before it end. */
function failingRow(bytes: Buffer, delimiter: string, error: CsvError): number {
  const before = typeof error['records'] === 'number' ? error['records'] : 0;
  if (before === 0) return 1;
  const last = parseRecords(bytes, delimiter, before).at(-1);
  return 1 + lineBreaks(bytes, 0, last?.info.bytes ?? 0);
}

/** Line breaks (CRLF, LF or a lone CR) in `bytes[from, to)`. */
function lineBreaks(bytes: Buffer, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to && i < bytes.length; i++) {
    if (bytes[i] === 0x0a) count++;
    else if (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a) count++;
  }
  return count;
}

/** csv-parse's message without its own (drifting) "at line N". */
function csvReason(error: CsvError): string {
  return error.message.replace(/ at line \d+/, '').replace(/\s+/g, ' ').trim();
}

/**
 * Text of a received file. 3PL exports are UTF-8 (with or without BOM) or, from older Windows
 * tools, Windows-1252; bytes that are not UTF-8 are read as the latter rather than refused.
 */
export function decodeFeedBytes(bytes: Buffer): { text: string; warning?: string } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), warning: 'the file is not UTF-8: read as Windows-1252' };
  }
}
