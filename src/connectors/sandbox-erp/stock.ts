import type { CallContext, ErpStockLevel, PriceSource, StockSource } from '../capabilities.js';
import type { HttpClient } from '../../protect/types.js';
import { expectAnswer } from './answers.js';
import { PriceAnswer, StockLevels } from './fulfilment-documents.js';
import { stockLevelFromSandbox } from './mapping.js';

/** SKUs per `GET /api/stock`, for the same reason as `ITEMS_CHUNK`: a request line well under 16 KiB. */
export const STOCK_CHUNK = 100;

/** Stock per warehouse on demand: `GET /api/stock`, a chunk of SKUs per call. */
export function createSandboxStock(deps: { http: HttpClient }): StockSource {
  return {
    async levels(skus: readonly string[], ctx: CallContext): Promise<ErpStockLevel[]> {
      const wanted = [...new Set(skus)];
      const levels: ErpStockLevel[] = [];
      for (let i = 0; i < wanted.length; i += STOCK_CHUNK) {
        const query = wanted.slice(i, i + STOCK_CHUNK).map(encodeURIComponent).join(',');
        const response = await deps.http.request({ method: 'GET', path: `/api/stock?skus=${query}`, operation: 'stock.levels' }, ctx);
        levels.push(...expectAnswer(response, 200, StockLevels, 'stock.levels').levels.map(stockLevelFromSandbox));
      }
      return levels;
    },
    async allLevels(ctx: CallContext): Promise<ErpStockLevel[]> {
      const response = await deps.http.request({ method: 'GET', path: '/api/stock/all', operation: 'stock.all' }, ctx);
      return expectAnswer(response, 200, StockLevels, 'stock.all').levels.map(stockLevelFromSandbox);
    },
  };
}

/**
 * The customer's price: `GET /api/prices`. Undefined when the ERP knows no such customer or
 * item (404) or has no price in that currency.
 */
export function createSandboxPrices(deps: { http: HttpClient }): PriceSource {
  return {
    async unitPrice(accountId: string, sku: string, quantity: number, currency: string, ctx: CallContext): Promise<string | undefined> {
      const query = new URLSearchParams({ customer: accountId, sku, quantity: String(quantity), currency });
      const response = await deps.http.request({ method: 'GET', path: `/api/prices?${query.toString()}`, operation: 'price.get' }, ctx);
      if (response.status === 404) return undefined;
      return expectAnswer(response, 200, PriceAnswer, 'price.get').unitPrice ?? undefined;
    },
  };
}
