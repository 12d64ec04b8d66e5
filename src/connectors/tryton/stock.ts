import type { CallContext, ErpStockLevel, PriceSource, StockSource } from '../capabilities.js';
import { moneyText, productCodeOf, saleUnitOf, skuOf, stockLevel } from './mapping.js';
import type { MasterDataReader } from './master-data.js';
import { expectRecords, PRODUCT_FIELDS, QUANTITY_FIELDS, TrytonProduct, TrytonQuantities, type TrytonWarehouse } from './records.js';
import type { ReferenceData } from './reference-data.js';
import { chunks, READ_CHUNK, type TrytonRpc } from './rpc.js';
import type { TrytonSettings } from './settings.js';

export interface StockReader extends StockSource {
  /** Levels of these products in every warehouse crossdock reads, SKUs mapped back from product codes. */
  levelsOfProducts(productIds: readonly number[], ctx: CallContext): Promise<ErpStockLevel[]>;
}

/**
 * On-hand and forecast quantities per warehouse. Tryton computes them for the locations in the
 * context: one `read` per warehouse covers every product asked for.
 */
export function createTrytonStock(deps: { rpc: TrytonRpc; settings: TrytonSettings; reference: ReferenceData; masterData: MasterDataReader }): StockReader {
  const { rpc, settings, reference, masterData } = deps;

  /** The mapped warehouses, or all of them when none is mapped. */
  async function warehousesRead(ctx: CallContext): Promise<TrytonWarehouse[]> {
    const mapped = Object.keys(settings.warehouses);
    return (await reference.warehouses(ctx)).filter((warehouse) => warehouse.code !== null && (mapped.length === 0 || mapped.includes(warehouse.code)));
  }

  async function levelsOf(products: readonly { sku: string; product: TrytonProduct }[], ctx: CallContext): Promise<ErpStockLevel[]> {
    const levels: ErpStockLevel[] = [];
    for (const warehouse of await warehousesRead(ctx)) {
      for (const chunk of chunks(products, READ_CHUNK)) {
        // Several locations would need `with_childs`; one warehouse gets it by default, but say so.
        const records = await rpc.read('product.product', chunk.map((p) => p.product.id), QUANTITY_FIELDS, ctx, { locations: [warehouse.id], with_childs: true });
        const quantities = new Map(expectRecords(TrytonQuantities, records, 'product.product.read').map((q) => [q.id, q]));
        for (const { sku, product } of chunk) {
          const counted = quantities.get(product.id);
          const level = counted && stockLevel(settings, sku, product, warehouse.code!, counted);
          if (level) levels.push(level);
        }
      }
    }
    return levels;
  }

  async function levelsOfProducts(productIds: readonly number[], ctx: CallContext): Promise<ErpStockLevel[]> {
    const products: { sku: string; product: TrytonProduct }[] = [];
    for (const chunk of chunks([...new Set(productIds)], READ_CHUNK)) {
      for (const product of expectRecords(TrytonProduct, await rpc.read('product.product', chunk, PRODUCT_FIELDS, ctx), 'product.product.read')) {
        // A product without a code has no SKU: crossdock cannot name it.
        if (product.code !== null) products.push({ sku: skuOf(settings, product.code), product });
      }
    }
    return levelsOf(products, ctx);
  }

  async function levels(skus: readonly string[], ctx: CallContext): Promise<ErpStockLevel[]> {
    const found = await masterData.productsByCode(skus.map((sku) => productCodeOf(settings, sku)), ctx);
    const products = [...new Set(skus)].flatMap((sku) => {
      const product = found.get(productCodeOf(settings, sku));
      return product ? [{ sku, product }] : [];
    });
    return levelsOf(products, ctx);
  }

  /** Every stocked product (goods, not services) with a code, in pages of ids. */
  async function allLevels(ctx: CallContext): Promise<ErpStockLevel[]> {
    const ids: number[] = [];
    for (let offset = 0; ; offset += ALL_PAGE) {
      const page = await rpc.search('product.product', [['template.type', '=', 'goods'], ['code', '!=', null]], ctx, { offset, limit: ALL_PAGE, order: [['id', 'ASC']] });
      ids.push(...page);
      if (page.length < ALL_PAGE) break;
    }
    return levelsOfProducts(ids, ctx);
  }

  return { levels, levelsOfProducts, allLevels };
}

/** Product ids per search page of the stock snapshot. */
const ALL_PAGE = 1000;

/**
 * The customer's price as Tryton's sale form computes it: `sale.line.on_change` of the product
 * runs the party's price list. Undefined when the customer, item or currency is unknown.
 */
export function createTrytonPrices(deps: { rpc: TrytonRpc; settings: TrytonSettings; reference: ReferenceData; masterData: MasterDataReader }): PriceSource {
  const { rpc, settings, reference, masterData } = deps;
  return {
    async unitPrice(accountId, sku, quantity, currency, ctx) {
      const code = productCodeOf(settings, sku);
      const [party, products, currencyId] = await Promise.all([
        masterData.partyOf(accountId, ctx),
        masterData.productsByCode([code], ctx),
        reference.currencyId(currency, ctx),
      ]);
      const product = products.get(code);
      const unit = product && saleUnitOf(product);
      if (party === undefined || product === undefined || unit === undefined || currencyId === undefined) return undefined;
      const changes = await rpc.call('sale.line', 'on_change', [{
        type: 'line',
        product: product.id,
        quantity,
        unit: unit.id,
        '_parent_sale.party': party.id,
        '_parent_sale.currency': currencyId,
        '_parent_sale.price_list': party.sale_price_list,
        '_parent_sale.sale_date': null,
      }, ['product']], ctx);
      const price = Array.isArray(changes) ? (changes[0] as { unit_price?: unknown } | undefined)?.unit_price : undefined;
      return typeof price === 'string' ? moneyText(price) : undefined;
    },
  };
}
