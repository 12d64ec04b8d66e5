import Type from 'typebox';
import { Value } from 'typebox/value';
import type { Order } from '../../canonical/order.js';
import type { CallContext, ErpConnector, ErpCustomer, ErpItem, ExternalRef } from '../capabilities.js';
import { CrossdockError } from '../../errors/crossdock-error.js';
import type { ErrorCode } from '../../errors/catalogue.js';
import type { HttpClient, HttpResponse } from '../../protect/types.js';
import { ErpMessage, expectAnswer as expect, rejected, SANDBOX_ERP_SYSTEM } from './answers.js';
import { createSandboxChangeFeed } from './change-feed.js';
import { SandboxCustomer, SandboxItem } from './document.js';
import { Cancelled } from './fulfilment-documents.js';
import { orderToSandboxSalesOrder } from './mapping.js';
import { createSandboxPriceList } from './price-list.js';
import { createSandboxPrices, createSandboxStock } from './stock.js';

export { SANDBOX_ERP_SYSTEM } from './answers.js';

/**
 * SKUs per `GET /api/items`; an order with more lines costs one call per chunk. Keeps the
 * request line well under Node's 16 KiB header limit even with long SKUs.
 */
export const ITEMS_CHUNK = 100;

const Duplicate = Type.Object({ code: Type.Literal('duplicate-external-ref'), number: Type.String({ minLength: 1 }) });
const ItemList = Type.Object({ items: Type.Array(SandboxItem) });
const OrderRef = Type.Object({ number: Type.String({ minLength: 1 }) });
const OrderList = Type.Object({ salesOrders: Type.Array(OrderRef) });

/** How the ERP's 422 codes read in crossdock's catalogue. Anything else it refuses is `erp.rejected`. */
const REFUSALS: Record<string, ErrorCode> = {
  'credit-hold': 'customer.credit-hold',
  'unknown-customer': 'customer.unknown',
  'unknown-item': 'sku.unknown',
};

export interface SandboxErpConnectorDeps {
  /** HTTP to the ERP (base URL ending in `/sandbox/erp`), already wrapped by the ERP target's protection policy. */
  http: HttpClient;
  /** Records per change-feed call; the ERP's own cap (500) when absent. Smaller in tests of paging. */
  changesPageSize?: number;
}

/**
 * The sandbox ERP seen through the capability interfaces. Reaches it only through `http`
 * (already wrapped by the ERP target's protection policy, which throws for 429/5xx/timeouts),
 * and turns the ERP's 2xx–4xx answers into values or catalogue errors.
 */
export function createSandboxErpConnector(deps: SandboxErpConnectorDeps): ErpConnector {
  const { http } = deps;

  async function getCustomer(accountId: string, ctx: CallContext): Promise<ErpCustomer | undefined> {
    const response = await http.request(
      { method: 'GET', path: `/api/customers/${encodeURIComponent(accountId)}`, operation: 'customer.get' },
      ctx,
    );
    if (response.status === 404) return undefined;
    const customer = expect(response, 200, SandboxCustomer, 'customer.get');
    return {
      accountId: customer.id,
      name: customer.name,
      currency: customer.currency,
      creditLimit: customer.creditLimit,
      balance: customer.balance,
      onHold: customer.onHold,
    };
  }

  async function getItems(skus: readonly string[], ctx: CallContext): Promise<Map<string, ErpItem>> {
    const items = new Map<string, ErpItem>();
    const wanted = [...new Set(skus)];
    for (let i = 0; i < wanted.length; i += ITEMS_CHUNK) {
      // The ERP splits the decoded list on commas, so a SKU containing one cannot be asked for.
      const query = wanted.slice(i, i + ITEMS_CHUNK).map(encodeURIComponent).join(',');
      const response = await http.request({ method: 'GET', path: `/api/items?skus=${query}`, operation: 'item.list' }, ctx);
      for (const item of expect(response, 200, ItemList, 'item.list').items) {
        items.set(item.sku, { sku: item.sku, description: item.description, uom: item.uom, active: item.active });
      }
    }
    return items;
  }

  async function findByExternalRef(externalRef: string, ctx: CallContext): Promise<ExternalRef | undefined> {
    const response = await http.request(
      { method: 'GET', path: `/api/sales-orders?externalRef=${encodeURIComponent(externalRef)}`, operation: 'salesOrder.find' },
      ctx,
    );
    const found = expect(response, 200, OrderList, 'salesOrder.find').salesOrders[0];
    return found && salesOrderRef(found.number);
  }

  async function create(order: Order, ctx: CallContext): Promise<ExternalRef> {
    const document = orderToSandboxSalesOrder(order);
    const response = await http.request({ method: 'POST', path: '/api/sales-orders', operation: 'salesOrder.create', body: document }, ctx);
    // The order already exists under our reference: that is the order we meant to create.
    if (response.status === 409 && Value.Check(Duplicate, response.body)) return { ...salesOrderRef(response.body.number), existed: true };
    if (response.status === 422) throw refusal(response);
    return salesOrderRef(expect(response, 201, OrderRef, 'salesOrder.create').number);
  }

  /** Asks the ERP to cancel; it refuses (409) once anything shipped or was invoiced. */
  async function cancel(ref: ExternalRef, ctx: CallContext): Promise<{ outcome: 'cancelled' | 'refused'; reason?: string }> {
    const response = await http.request(
      { method: 'POST', path: `/api/sales-orders/${encodeURIComponent(ref.id)}/cancel`, operation: 'salesOrder.cancel' },
      ctx,
    );
    if (response.status === 409 && Value.Check(ErpMessage, response.body)) return { outcome: 'refused', reason: response.body.message };
    if (response.status === 404) {
      throw new CrossdockError('erp.rejected', `The sandbox ERP has no sales order ${ref.id} to cancel`, {
        target: SANDBOX_ERP_SYSTEM, context: { salesOrder: ref.id, status: 404 },
      });
    }
    expect(response, 200, Cancelled, 'salesOrder.cancel');
    return { outcome: 'cancelled' };
  }

  return {
    name: SANDBOX_ERP_SYSTEM,
    masterData: { getCustomer, getItems },
    orderSink: { findByExternalRef, create, cancel },
    changes: createSandboxChangeFeed({ http, ...(deps.changesPageSize === undefined ? {} : { pageSize: deps.changesPageSize }) }),
    stock: createSandboxStock({ http }),
    prices: createSandboxPrices({ http }),
    priceList: createSandboxPriceList({ http }),
  };
}

function salesOrderRef(number: string): ExternalRef {
  return { system: SANDBOX_ERP_SYSTEM, id: number, number };
}

/** A 422 from the ERP: the business said no. Its message goes to the person who must act. */
function refusal(response: HttpResponse): CrossdockError {
  if (!Value.Check(ErpMessage, response.body)) return rejected(response, 'salesOrder.create');
  const { code, message } = response.body;
  return new CrossdockError(REFUSALS[code] ?? 'erp.rejected', `The ERP refused the sales order: ${message}`, {
    target: SANDBOX_ERP_SYSTEM,
    context: { erpCode: code, erpMessage: message, status: response.status },
  });
}

