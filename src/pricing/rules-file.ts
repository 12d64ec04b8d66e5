import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { priceRuleProblems, type PriceRule } from '../canonical/price.js';
import { CrossdockError } from '../errors/crossdock-error.js';

/** Rules read from a file, or what is wrong with it (each problem names a line or a JSON pointer). */
export interface RulesFileResult {
  rules: PriceRule[];
  problems: string[];
}

/** The source every rule of the rules file carries. */
export const FILE_SOURCE = 'file';

/**
 * Reads `prices.file`: `.json` (an array of rules, or `{ "rules": [...] }`) or `.csv` (below).
 * Every rule gets `source: file`. Throws a `request.invalid` error listing every problem, so
 * a bad file stops the start with all of them at once rather than pricing from half a file.
 */
export function readPriceRulesFile(path: string): PriceRule[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CrossdockError('request.invalid', `cannot read the price rules file ${path}: ${(error as Error).message}`);
  }
  const result = extname(path).toLowerCase() === '.csv' ? parsePriceRulesCsv(text) : parsePriceRulesJson(text);
  if (result.problems.length > 0) {
    throw new CrossdockError('request.invalid', `the price rules file ${path} is not valid:\n  - ${result.problems.slice(0, 50).join('\n  - ')}`, {
      errors: result.problems.slice(0, 50).map((detail) => ({ pointer: path, detail })),
    });
  }
  return result.rules;
}

/** A JSON rules document: an array of rules or `{ rules: [...] }`. */
export function parsePriceRulesJson(text: string): RulesFileResult {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return { rules: [], problems: [`not valid JSON: ${(error as Error).message}`] };
  }
  const list = Array.isArray(document) ? document : (document as { rules?: unknown } | null)?.rules;
  if (!Array.isArray(list)) return { rules: [], problems: ['expected an array of rules or { "rules": [...] }'] };
  const prefix = Array.isArray(document) ? '' : '/rules';
  return collect(list.map((raw, i) => ({ raw: typeof raw === 'object' && raw !== null ? { ...raw, source: FILE_SOURCE } : raw, where: `${prefix}/${i}` })));
}

/**
 * A CSV rules file with a header row. Columns (any order; empty cells are absent):
 * `id, kind, sku, currency, unitPrice, minQuantity, group, customer, region, uom, channels
 * (separated by `|`), percentOff, validFrom, validTo, description`. A rule's first row has no
 * `minQuantity`; a later row with its `id` and a `minQuantity` adds a quantity break at its
 * `unitPrice` (its other cells are not read).
 */
export function parsePriceRulesCsv(text: string): RulesFileResult {
  let rows: Record<string, string>[];
  try {
    rows = parseCsv(text, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Record<string, string>[];
  } catch (error) {
    return { rules: [], problems: [`not valid CSV: ${(error as Error).message}`] };
  }
  const byId = new Map<string, { raw: Record<string, unknown>; where: string }>();
  const problems: string[] = [];
  rows.forEach((row, i) => {
    const where = `line ${i + 2}`;
    const id = row.id ?? '';
    if (!id) {
      problems.push(`${where}: id is required`);
      return;
    }
    const minQuantity = row.minQuantity ? Number(row.minQuantity) : undefined;
    if (minQuantity !== undefined && !Number.isFinite(minQuantity)) {
      problems.push(`${where}: minQuantity ${row.minQuantity} is not a number`);
      return;
    }
    const entry = byId.get(id);
    if (!entry) {
      if (minQuantity === undefined) byId.set(id, { raw: ruleFromRow(row), where });
      else problems.push(`${where}: the first row of rule ${id} gives its unit price (no minQuantity); its breaks follow`);
      return;
    }
    if (minQuantity === undefined) problems.push(`${where}: rule ${id} is given twice (a further row needs minQuantity to be a quantity break)`);
    else entry.raw.breaks = [...((entry.raw.breaks as unknown[] | undefined) ?? []), { minQuantity, unitPrice: row.unitPrice }];
  });
  const result = collect([...byId.values()]);
  return { rules: result.rules, problems: [...problems, ...result.problems] };
}

const NUMBER_COLUMNS = new Set(['percentOff']);
const TEXT_COLUMNS = ['id', 'kind', 'sku', 'currency', 'unitPrice', 'group', 'customer', 'region', 'uom', 'validFrom', 'validTo', 'description', 'percentOff'];

function ruleFromRow(row: Record<string, string>): Record<string, unknown> {
  const raw: Record<string, unknown> = { source: FILE_SOURCE };
  for (const column of TEXT_COLUMNS) {
    const value = row[column];
    if (value === undefined || value === '') continue;
    raw[column] = NUMBER_COLUMNS.has(column) && Number.isFinite(Number(value)) ? Number(value) : value;
  }
  if (row.channels) raw.channels = row.channels.split('|').map((c) => c.trim()).filter(Boolean);
  return raw;
}

function collect(entries: readonly { raw: unknown; where: string }[]): RulesFileResult {
  const rules: PriceRule[] = [];
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const { raw, where } of entries) {
    const found = priceRuleProblems(raw);
    if (found.length > 0) {
      problems.push(...found.map((p) => `${where}${where.startsWith('line') ? ` ${p.pointer.slice(1) || 'row'}` : p.pointer}: ${p.detail}`));
      continue;
    }
    const rule = raw as PriceRule;
    if (ids.has(rule.id)) problems.push(`${where}: id ${rule.id} is used by another rule`);
    ids.add(rule.id);
    rules.push(rule);
  }
  return { rules, problems };
}
