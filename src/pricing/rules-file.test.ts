import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CrossdockError } from '../errors/crossdock-error.js';
import { parsePriceRulesCsv, parsePriceRulesJson, readPriceRulesFile } from './rules-file.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('price rules files', () => {
  it('reads a CSV with a rule per row and quantity breaks on the rows that follow it', () => {
    const csv = [
      'id,kind,sku,currency,unitPrice,minQuantity,customer,group,channels,percentOff,validFrom,validTo',
      'L-1,list,SKU-1,USD,10.00,,,,,,,',
      'L-1,,,,9.00,10,,,,,,',
      'C-1,contract,SKU-1,USD,8.50,,C-100,,,,2026-01-01,2026-12-31',
      'P-1,promotion,SKU-1,USD,,,,,web|edi,15,2026-11-27,2026-11-30',
    ].join('\n');
    const { rules, problems } = parsePriceRulesCsv(csv);
    expect(problems).toEqual([]);
    expect(rules).toEqual([
      { source: 'file', id: 'L-1', kind: 'list', sku: 'SKU-1', currency: 'USD', unitPrice: '10.00', breaks: [{ minQuantity: 10, unitPrice: '9.00' }] },
      { source: 'file', id: 'C-1', kind: 'contract', sku: 'SKU-1', currency: 'USD', unitPrice: '8.50', customer: 'C-100', validFrom: '2026-01-01', validTo: '2026-12-31' },
      { source: 'file', id: 'P-1', kind: 'promotion', sku: 'SKU-1', currency: 'USD', percentOff: 15, channels: ['web', 'edi'], validFrom: '2026-11-27', validTo: '2026-11-30' },
    ]);
  });

  it('names the line and the field of every problem in a CSV', () => {
    const csv = ['id,kind,sku,currency,unitPrice,minQuantity', 'L-1,list,SKU-1,XXX,10.00,', ',list,SKU-2,USD,1.00,', 'L-3,list,SKU-3,USD,1.00,', 'L-3,list,SKU-3,USD,2.00,'].join('\n');
    expect(parsePriceRulesCsv(csv).problems).toEqual([
      'line 3: id is required',
      'line 5: rule L-3 is given twice (a further row needs minQuantity to be a quantity break)',
      'line 2 currency: must be an ISO 4217 currency code',
    ]);
  });

  it('reads JSON as an array or { rules }, naming the pointer of a bad rule', () => {
    expect(parsePriceRulesJson('[{"kind":"list","id":"a","sku":"S","currency":"USD","unitPrice":"1"}]').rules).toHaveLength(1);
    expect(parsePriceRulesJson('{"rules":[{"kind":"tier","id":"a","sku":"S","currency":"USD","unitPrice":"1"}]}').problems).toEqual(['/rules/0/group: is required']);
    expect(parsePriceRulesJson('{').problems[0]).toMatch(/^not valid JSON/);
  });

  it('refuses a file with any bad rule, with every problem listed, rather than load half of it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crossdock-rules-'));
    dirs.push(dir);
    const path = join(dir, 'rules.json');
    writeFileSync(path, JSON.stringify([{ kind: 'list', id: 'a', sku: 'S', currency: 'USD', unitPrice: '1' }, { kind: 'list', id: 'b', sku: 'S', currency: 'USD', unitPrice: 'ten' }]));
    expect(() => readPriceRulesFile(path)).toThrow(CrossdockError);
    expect(() => readPriceRulesFile(path)).toThrow(/\/1\/unitPrice: must be a decimal string/);
    expect(() => readPriceRulesFile(join(dir, 'missing.csv'))).toThrow(/cannot read/);
  });
});
