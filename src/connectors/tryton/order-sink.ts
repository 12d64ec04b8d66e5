import type { Order } from '../../canonical/order.js';
import { CrossdockError } from '../../errors/crossdock-error.js';
import type { CallContext, ExternalRef, OrderSink } from '../capabilities.js';
import {
  addressValues,
  findMatchingAddress,
  productCodeOf,
  saleValues,
  shippingChargeOf,
  streetOf,
  unitSymbolOf,
  type CanonicalAddress,
  type SaleReferences,
} from './mapping.js';
import type { MasterDataReader } from './master-data.js';
import { ADDRESS_FIELDS, expectRecords, SALE_FIELDS, TrytonAddress, TrytonSale, type TrytonParty, type TrytonProduct } from './records.js';
import type { ReferenceData } from './reference-data.js';
import { TRYTON_SYSTEM, type TrytonRpc } from './rpc.js';
import type { TrytonSettings } from './settings.js';

/** The buttons that take a sale from each state to `processing`, in order. */
const STEPS_FROM: Record<string, readonly string[]> = {
  draft: ['quote', 'confirm', 'process'],
  quotation: ['confirm', 'process'],
  // `confirm` answers OK even when processing then fails: `process` is called explicitly so
  // its UserError reaches us.
  confirmed: ['process'],
  processing: [],
  done: [],
};

const POSTED = new Set(['processing', 'done']);

export interface TrytonOrderSinkDeps {
  rpc: TrytonRpc;
  settings: TrytonSettings;
  reference: ReferenceData;
  masterData: MasterDataReader;
}

/**
 * Posts orders as Tryton sales: create, then quote, confirm and process, then read the state
 * back (Tryton ignores a workflow call in the wrong state and may fail processing silently).
 */
export function createTrytonOrderSink(deps: TrytonOrderSinkDeps): Required<OrderSink> {
  const { rpc, settings, reference, masterData } = deps;

  async function readSale(id: number, ctx: CallContext): Promise<TrytonSale | undefined> {
    const [sale] = expectRecords(TrytonSale, await rpc.read('sale.sale', [id], SALE_FIELDS, ctx), 'sale.sale.read');
    return sale;
  }

  async function findByExternalRef(externalRef: string, ctx: CallContext): Promise<ExternalRef | undefined> {
    // `reference` is not unique in Tryton; crossdock looks before every create, so the oldest
    // live sale is the one it made. A cancelled sale no longer stands for the order.
    const [sale] = expectRecords(TrytonSale, await rpc.searchRead(
      'sale.sale',
      [[settings.referenceField, '=', externalRef], ['state', '!=', 'cancelled']],
      SALE_FIELDS,
      ctx,
      { limit: 1, order: [['id', 'ASC']] },
    ), 'sale.sale.search_read');
    return sale && saleRef(sale);
  }

  /** Runs the remaining workflow buttons and checks the sale reached `processing`. */
  async function advance(sale: TrytonSale, ctx: CallContext): Promise<ExternalRef> {
    const steps = STEPS_FROM[sale.state];
    if (steps === undefined) {
      throw new CrossdockError('erp.rejected', `Tryton sale ${sale.number ?? sale.id} is ${sale.state}: it cannot be processed`, {
        target: TRYTON_SYSTEM, context: { saleId: sale.id, state: sale.state },
      });
    }
    for (const step of steps) await rpc.button('sale.sale', step, [sale.id], ctx);
    const after = await readSale(sale.id, ctx);
    if (after === undefined) {
      throw new CrossdockError('erp.rejected', `Tryton sale ${sale.id} disappeared while it was being processed`, {
        target: TRYTON_SYSTEM, context: { saleId: sale.id },
      });
    }
    if (!POSTED.has(after.state)) {
      throw new CrossdockError('erp.rejected', `Tryton left sale ${after.number ?? after.id} in state "${after.state}" after ${steps.join(', ')}: processing did not happen (see the Tryton server log)`, {
        target: TRYTON_SYSTEM, context: { saleId: after.id, state: after.state, steps },
      });
    }
    return saleRef(after);
  }

  async function create(order: Order, ctx: CallContext): Promise<ExternalRef> {
    const values = saleValues(order, await saleReferences(order, ctx), settings);
    const [saleId] = await rpc.create('sale.sale', [values], ctx);
    if (saleId === undefined) throw new CrossdockError('target.rejected', 'Tryton created no sale', { target: TRYTON_SYSTEM });
    return advance({ id: saleId, number: null, state: 'draft' }, ctx);
  }

  /**
   * The Tryton ids the sale refers to. Everything that can refuse the order is checked before
   * anything is written (a new address), so a refused order leaves nothing behind.
   */
  async function saleReferences(order: Order, ctx: CallContext): Promise<SaleReferences> {
    const party = await customerParty(order, ctx);
    const { products, shippingProduct } = await orderProducts(order, ctx);
    const units = await orderUnits(order, ctx);
    const warehouse = await reference.warehouse(settings.defaultWarehouse, ctx);
    const currency = await reference.currencyId(order.currency, ctx);
    if (currency === undefined) {
      throw new CrossdockError('erp.rejected', `Tryton has no currency ${order.currency}`, { target: TRYTON_SYSTEM, context: { currency: order.currency } });
    }
    const addresses = await partyAddresses(party, ctx);
    const shipmentAddress = await ensureAddress(party, addresses, order.shipTo, ctx);
    // Without a billing address, the one Tryton's sale form would pick: the invoice address, else the first.
    const invoiceAddress = order.billTo
      ? await ensureAddress(party, addresses, order.billTo, ctx)
      : (addresses.find((address) => Boolean(address.invoice)) ?? addresses[0])!.id;
    return {
      party: party.id, invoiceAddress, shipmentAddress, warehouse: warehouse.id, currency,
      paymentTerm: party.customer_payment_term, products, units,
      ...(shippingProduct ? { shippingProduct } : {}),
    };
  }

  async function customerParty(order: Order, ctx: CallContext): Promise<TrytonParty> {
    const party = await masterData.partyOf(order.customer.accountId, ctx);
    if (party) return party;
    throw new CrossdockError('customer.unknown', `Tryton has no customer with code "${masterData.partyCode(order.customer.accountId)}"`, {
      target: TRYTON_SYSTEM, context: { accountId: order.customer.accountId },
    });
  }

  /** The order's products by code, and the freight product when its shipping charges are sent. */
  async function orderProducts(order: Order, ctx: CallContext): Promise<{ products: Map<string, TrytonProduct>; shippingProduct?: TrytonProduct }> {
    const shipping = settings.shippingProduct !== undefined && shippingChargeOf(order) !== undefined ? settings.shippingProduct : undefined;
    const codes = order.lines.map((line) => productCodeOf(settings, line.sku));
    const products = await masterData.productsByCode([...codes, ...(shipping ? [shipping] : [])], ctx);
    const missing = order.lines.filter((line) => !products.has(productCodeOf(settings, line.sku))).map((line) => line.sku);
    if (missing.length > 0) {
      throw new CrossdockError('sku.unknown', `Tryton has no active product for SKU ${missing.join(', ')}`, {
        target: TRYTON_SYSTEM, context: { skus: missing, productCodes: missing.map((sku) => productCodeOf(settings, sku)) },
      });
    }
    if (shipping === undefined) return { products };
    const shippingProduct = products.get(shipping);
    if (shippingProduct) return { products, shippingProduct };
    throw new CrossdockError('erp.rejected', `Tryton has no active freight product "${shipping}" (the Tryton setting shippingProduct)`, {
      target: TRYTON_SYSTEM, context: { shippingProduct: shipping },
    });
  }

  async function orderUnits(order: Order, ctx: CallContext): Promise<ReadonlyMap<string, number>> {
    const units = await reference.units(ctx);
    const unknown = [...new Set(order.lines.map((line) => line.uom))].filter((uom) => !units.has(unitSymbolOf(settings, uom)));
    if (unknown.length === 0) return units;
    throw new CrossdockError('erp.rejected', `Tryton has no unit of measure for ${unknown.map((uom) => `${uom} (symbol "${unitSymbolOf(settings, uom)}")`).join(', ')}`, {
      target: TRYTON_SYSTEM, context: { units: unknown },
    });
  }

  async function partyAddresses(party: TrytonParty, ctx: CallContext): Promise<TrytonAddress[]> {
    return expectRecords(TrytonAddress, await rpc.searchRead('party.address', [['party', '=', party.id]], ADDRESS_FIELDS, ctx, { order: [['sequence', 'ASC'], ['id', 'ASC']] }), 'party.address.search_read');
  }

  /**
   * The id of the party's address for this place, created when the party has none. Looking
   * first means a retried create does not add the same address twice.
   */
  async function ensureAddress(party: TrytonParty, addresses: TrytonAddress[], address: CanonicalAddress, ctx: CallContext): Promise<number> {
    const existing = findMatchingAddress(addresses, address);
    if (existing) return existing.id;
    const country = await reference.countryId(address.country, ctx);
    const [id] = await rpc.create('party.address', [addressValues(party.id, address, country)], ctx);
    if (id === undefined) throw new CrossdockError('target.rejected', 'Tryton created no address', { target: TRYTON_SYSTEM });
    // The billing address may be the same place: it must find this one rather than add another.
    addresses.push({
      id, party_name: address.name, name: null, street: streetOf(address), postal_code: address.postalCode ?? null, city: address.city, invoice: false,
    });
    return id;
  }

  async function finish(ref: ExternalRef, _order: Order, ctx: CallContext): Promise<ExternalRef> {
    const sale = await readSale(saleIdOf(ref), ctx);
    if (sale === undefined) {
      throw new CrossdockError('erp.rejected', `Tryton has no sale ${ref.id} any more`, { target: TRYTON_SYSTEM, context: { saleId: ref.id } });
    }
    return advance(sale, ctx);
  }

  async function cancel(ref: ExternalRef, ctx: CallContext): Promise<{ outcome: 'cancelled' | 'refused'; reason?: string }> {
    const id = saleIdOf(ref);
    try {
      await rpc.button('sale.sale', 'cancel', [id], ctx);
    } catch (error) {
      if (error instanceof CrossdockError && error.code === 'erp.rejected') return { outcome: 'refused', reason: error.message };
      throw error;
    }
    // Tryton answers OK and changes nothing when the sale is past cancelling: the state tells.
    const sale = await readSale(id, ctx);
    if (sale?.state === 'cancelled') return { outcome: 'cancelled' };
    return {
      outcome: 'refused',
      reason: sale
        ? `Tryton did not cancel sale ${sale.number ?? sale.id}: it is ${sale.state} (only draft and quotation sales can be cancelled)`
        : `Tryton has no sale ${id}`,
    };
  }

  return { findByExternalRef, create, finish, cancel };
}

function saleRef(sale: TrytonSale): ExternalRef {
  return { system: TRYTON_SYSTEM, id: String(sale.id), ...(sale.number ? { number: sale.number } : {}) };
}

function saleIdOf(ref: ExternalRef): number {
  const id = Number(ref.id);
  if (ref.system !== TRYTON_SYSTEM || !Number.isSafeInteger(id) || id <= 0) {
    throw new CrossdockError('internal.defect', `not a Tryton sale reference: ${ref.system}:${ref.id}`);
  }
  return id;
}
