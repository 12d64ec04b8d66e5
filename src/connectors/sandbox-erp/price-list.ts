import Type, { type Static } from 'typebox';
import type { PriceRule } from '../../canonical/price.js';
import { Decimal } from '../../canonical/common.js';
import type { CallContext, PriceListSource } from '../capabilities.js';
import type { HttpClient } from '../../protect/types.js';
import { expectAnswer, SANDBOX_ERP_SYSTEM } from './answers.js';

/** `GET /api/price-list`: one list price per item and currency. */
export const SandboxPriceList = Type.Object({
  prices: Type.Array(Type.Object({ sku: Type.String({ minLength: 1 }), currency: Type.String({ pattern: '^[A-Z]{3}$' }), unitPrice: Decimal })),
});
export type SandboxPriceList = Static<typeof SandboxPriceList>;

/** The source of every rule the sandbox ERP's price list becomes. */
export const SANDBOX_PRICE_SOURCE = `erp:${SANDBOX_ERP_SYSTEM}`;

/** One price-list entry → a list price rule, its id stable so a reload replaces it. */
export function sandboxPriceToRule(price: SandboxPriceList['prices'][number]): PriceRule {
  return {
    kind: 'list', id: `${SANDBOX_PRICE_SOURCE}:list:${price.sku}:${price.currency}`, source: SANDBOX_PRICE_SOURCE,
    sku: price.sku, currency: price.currency, unitPrice: price.unitPrice,
  };
}

/** The whole price list in one call (the sandbox holds a few dozen prices). */
export function createSandboxPriceList(deps: { http: HttpClient }): PriceListSource {
  return {
    async priceRules(ctx: CallContext): Promise<PriceRule[]> {
      const response = await deps.http.request({ method: 'GET', path: '/api/price-list', operation: 'price.list' }, ctx);
      return expectAnswer(response, 200, SandboxPriceList, 'price.list').prices.map(sandboxPriceToRule);
    },
  };
}
