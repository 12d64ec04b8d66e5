import type { CallContext } from '../capabilities.js';
import { CrossdockError } from '../../errors/crossdock-error.js';
import {
  expectRecords,
  TrytonUnit,
  TrytonWarehouse,
  UNIT_FIELDS,
  WAREHOUSE_FIELDS,
  type TrytonWarehouse as Warehouse,
} from './records.js';
import { TRYTON_SYSTEM, type TrytonRpc } from './rpc.js';

/**
 * Tryton's configuration records crossdock looks up by code (warehouses, units, currencies,
 * countries, the company currency). They change rarely, so each is read once per connector and
 * kept; a failed read is not kept.
 */
export interface ReferenceData {
  warehouses(ctx: CallContext): Promise<readonly Warehouse[]>;
  /** The warehouse with this code, or `erp.rejected` naming the setting to fix. */
  warehouse(code: string, ctx: CallContext): Promise<Warehouse>;
  /** Unit ids by symbol (`u` → 1). */
  units(ctx: CallContext): Promise<ReadonlyMap<string, number>>;
  currencyId(code: string, ctx: CallContext): Promise<number | undefined>;
  countryId(code: string, ctx: CallContext): Promise<number | undefined>;
  /** ISO code of the company's currency (the user context names the company, not its currency). */
  companyCurrency(ctx: CallContext): Promise<string>;
}

export function createReferenceData(rpc: TrytonRpc): ReferenceData {
  const kept = new Map<string, Promise<unknown>>();

  function once<T>(key: string, load: () => Promise<T>): Promise<T> {
    let found = kept.get(key) as Promise<T> | undefined;
    if (found === undefined) {
      found = load();
      kept.set(key, found);
      found.catch(() => kept.delete(key));
    }
    return found;
  }

  /** Found ids are kept; a code Tryton does not know is asked again next time (it may be added). */
  async function idByCode(model: string, code: string, ctx: CallContext): Promise<number | undefined> {
    const key = `${model}:${code}`;
    const id = await once(key, async () => (await rpc.search(model, [['code', '=', code]], ctx, { limit: 1 }))[0]);
    if (id === undefined) kept.delete(key);
    return id;
  }

  const warehouses = (ctx: CallContext) =>
    once('warehouses', async () =>
      expectRecords(TrytonWarehouse, await rpc.searchRead('stock.location', [['type', '=', 'warehouse']], WAREHOUSE_FIELDS, ctx, { order: [['id', 'ASC']] }), 'stock.location.search_read'));

  return {
    warehouses,
    async warehouse(code, ctx) {
      const found = (await warehouses(ctx)).find((warehouse) => warehouse.code === code);
      if (found) return found;
      throw new CrossdockError('erp.rejected', `Tryton has no warehouse with code "${code}" (the Tryton setting defaultWarehouse)`, {
        target: TRYTON_SYSTEM, context: { warehouse: code },
      });
    },
    units: (ctx) =>
      once('units', async () => {
        const units = expectRecords(TrytonUnit, await rpc.searchRead('product.uom', [], UNIT_FIELDS, ctx, { order: [['id', 'ASC']] }), 'product.uom.search_read');
        const bySymbol = new Map<string, number>();
        // Symbols are not unique in Tryton: the oldest unit (module data) wins.
        for (const unit of units) if (!bySymbol.has(unit.symbol)) bySymbol.set(unit.symbol, unit.id);
        return bySymbol;
      }),
    currencyId: (code, ctx) => idByCode('currency.currency', code, ctx),
    countryId: (code, ctx) => idByCode('country.country', code, ctx),
    companyCurrency: (ctx) =>
      once('company-currency', async () => {
        const { company } = await rpc.preferences(ctx);
        if (typeof company !== 'number') {
          throw new CrossdockError('target.rejected', 'The Tryton user has no company: set one in its preferences', { target: TRYTON_SYSTEM });
        }
        const [record] = await rpc.read('company.company', [company], ['currency.code'], ctx);
        const currency = record?.['currency.'] as { code?: unknown } | null | undefined;
        if (typeof currency?.code !== 'string') {
          throw new CrossdockError('target.rejected', `Tryton company ${company} has no currency`, { target: TRYTON_SYSTEM });
        }
        return currency.code;
      }),
  };
}
