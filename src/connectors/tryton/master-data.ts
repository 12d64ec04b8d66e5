import type { CallContext, ErpCustomer, ErpItem, MasterData } from '../capabilities.js';
import { customerFromParty, itemFromProduct, partyCodeOf, productCodeOf } from './mapping.js';
import { expectRecords, PARTY_FIELDS, PRODUCT_FIELDS, TrytonParty, TrytonProduct } from './records.js';
import type { ReferenceData } from './reference-data.js';
import type { TrytonRpc } from './rpc.js';
import type { TrytonSettings } from './settings.js';

/** Product codes per `search_read`: one call for an ordinary order, a few for a huge one. */
export const PRODUCTS_CHUNK = 500;

/** Parties and products looked up by code, shared by master data, the order sink and pricing. */
export interface MasterDataReader extends MasterData {
  partyCode(accountId: string): string;
  partyOf(accountId: string, ctx: CallContext): Promise<TrytonParty | undefined>;
  /** Products by Tryton code; absent codes are missing. `includeInactive` for reporting, never for selling. */
  productsByCode(codes: readonly string[], ctx: CallContext, includeInactive?: boolean): Promise<Map<string, TrytonProduct>>;
}

export function createTrytonMasterData(deps: { rpc: TrytonRpc; settings: TrytonSettings; reference: ReferenceData }): MasterDataReader {
  const { rpc, settings, reference } = deps;

  const partyCode = (accountId: string) => partyCodeOf(settings, accountId);

  async function partyOf(accountId: string, ctx: CallContext): Promise<TrytonParty | undefined> {
    const records = await rpc.searchRead('party.party', [['code', '=', partyCode(accountId)]], PARTY_FIELDS, ctx, { limit: 1 });
    return expectRecords(TrytonParty, records, 'party.party.search_read')[0];
  }

  async function productsByCode(codes: readonly string[], ctx: CallContext, includeInactive = false): Promise<Map<string, TrytonProduct>> {
    const wanted = [...new Set(codes)];
    const found = new Map<string, TrytonProduct>();
    for (let i = 0; i < wanted.length; i += PRODUCTS_CHUNK) {
      const records = await rpc.searchRead('product.product', [['code', 'in', wanted.slice(i, i + PRODUCTS_CHUNK)]], PRODUCT_FIELDS, ctx, {
        order: [['id', 'ASC']],
        ...(includeInactive ? { context: { active_test: false } } : {}),
      });
      for (const product of expectRecords(TrytonProduct, records, 'product.product.search_read')) {
        // Codes are not unique in Tryton; an active product wins over an archived one, then the oldest.
        const code = product.code;
        if (code === null) continue;
        const kept = found.get(code);
        if (kept === undefined || (!kept.active && product.active)) found.set(code, product);
      }
    }
    return found;
  }

  async function getCustomer(accountId: string, ctx: CallContext): Promise<ErpCustomer | undefined> {
    const party = await partyOf(accountId, ctx);
    if (party === undefined) return undefined;
    return customerFromParty(accountId, party, await reference.companyCurrency(ctx));
  }

  async function getItems(skus: readonly string[], ctx: CallContext): Promise<Map<string, ErpItem>> {
    const products = await productsByCode(skus.map((sku) => productCodeOf(settings, sku)), ctx, true);
    const items = new Map<string, ErpItem>();
    for (const sku of skus) {
      const product = products.get(productCodeOf(settings, sku));
      const item = product && itemFromProduct(settings, sku, product);
      if (item) items.set(sku, item);
    }
    return items;
  }

  return { partyCode, partyOf, productsByCode, getCustomer, getItems };
}
