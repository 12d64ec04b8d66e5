import type { CallContext } from '../capabilities.js';
import type { ChannelDeps } from '../../channels/types.js';
import { CrossdockError } from '../../errors/crossdock-error.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../../protect/types.js';
import { arrayAt, isObject, num, type Json } from './document.js';
import { adobeCommerceError, renderMagentoMessage } from './errors.js';

/** One MSI source item (InventoryApi SourceItemInterface). */
export interface SourceItem {
  sku: string;
  source_code: string;
  quantity: number;
  /** 1 in stock, 0 out of stock. */
  status: 0 | 1;
}

/** A 400 the caller interprets (which items, which shipment), with Magento's rendered text. */
export interface Refusal {
  refused: true;
  status: number;
  message: string;
  body: unknown;
}

/** A searchCriteria filter (REST "Search using REST endpoints"). */
interface Filter {
  field: string;
  value: string;
  conditionType: 'eq' | 'gteq';
}

/**
 * The Adobe Commerce REST endpoints crossdock uses, through the instance's protection policy.
 * Authenticates with an integration access token as a bearer token (REST "Token-based
 * authentication"). 429 and 5xx are retried by the policy (a CDN in front of the store
 * answers 429 with `Retry-After`, which the policy honours and shares); 4xx become errors here.
 */
export class AdobeCommerceClient {
  readonly #http: HttpClient;
  readonly #target: string;

  constructor(deps: ChannelDeps, options: { instance: string; baseUrl: string; accessToken: string }) {
    this.#target = options.instance;
    this.#http = deps.http({ baseUrl: options.baseUrl, defaultHeaders: { authorization: `Bearer ${options.accessToken}` } });
  }

  /**
   * `GET /V1/orders` changed since `from` (Magento time, inclusive), oldest first and by
   * entity_id within one second, so a page boundary inside one second is stable.
   */
  async listOrders(query: { from: string; pageSize: number; currentPage: number }, ctx: CallContext): Promise<{ items: Json[]; totalCount: number }> {
    const params = searchCriteria([{ field: 'updated_at', value: query.from, conditionType: 'gteq' }]);
    params.set('searchCriteria[sortOrders][0][field]', 'updated_at');
    params.set('searchCriteria[sortOrders][0][direction]', 'ASC');
    params.set('searchCriteria[sortOrders][1][field]', 'entity_id');
    params.set('searchCriteria[sortOrders][1][direction]', 'ASC');
    params.set('searchCriteria[pageSize]', String(query.pageSize));
    params.set('searchCriteria[currentPage]', String(query.currentPage));
    const body = await this.#json({ method: 'GET', path: `/V1/orders?${params}`, operation: 'orders.list' }, ctx);
    const totalCount = isObject(body) ? num(body.total_count) : undefined;
    if (!isObject(body) || totalCount === undefined) throw this.#malformed('orders.list', body, 'expected { items, total_count }');
    return { items: arrayAt(body.items).filter(isObject), totalCount };
  }

  /** `GET /V1/orders/{id}`. */
  async getOrder(entityId: string, ctx: CallContext): Promise<Json> {
    const body = await this.#json({ method: 'GET', path: `/V1/orders/${encodeURIComponent(entityId)}`, operation: 'orders.get' }, ctx);
    if (!isObject(body)) throw this.#malformed('orders.get', body, 'expected an order object');
    return body;
  }

  /** `GET /V1/shipments` of one order (shipments with their `tracks` and `comments`). */
  async listShipments(orderId: string, ctx: CallContext): Promise<Json[]> {
    const params = searchCriteria([{ field: 'order_id', value: orderId, conditionType: 'eq' }]);
    const body = await this.#json({ method: 'GET', path: `/V1/shipments?${params}`, operation: 'shipments.list' }, ctx);
    if (!isObject(body)) throw this.#malformed('shipments.list', body, 'expected { items, total_count }');
    return arrayAt(body.items).filter(isObject);
  }

  /** `POST /V1/inventory/source-items` (MSI SourceItemsSaveInterface); a 400 is returned for the caller to split. */
  async saveSourceItems(sourceItems: readonly SourceItem[], ctx: CallContext): Promise<{ saved: true } | Refusal> {
    const response = await this.#http.request({ method: 'POST', path: '/V1/inventory/source-items', operation: 'sourceItems.save', body: { sourceItems } }, ctx);
    if (response.status >= 200 && response.status < 300) return { saved: true };
    return this.#refusal('sourceItems.save', response);
  }

  /** `POST /V1/order/{id}/ship` (salesShipOrderV1) → the new shipment's id; a 400 is returned for the caller to interpret. */
  async shipOrder(orderId: string, body: unknown, ctx: CallContext): Promise<{ shipmentId: string } | Refusal> {
    const operation = 'order.ship';
    const response = await this.#http.request({ method: 'POST', path: `/V1/order/${encodeURIComponent(orderId)}/ship`, operation, body }, ctx);
    if (response.status < 200 || response.status >= 300) return this.#refusal(operation, response);
    // The method returns an int; the REST layer prints it as a JSON number (or a numeric string).
    const shipmentId = num(response.body);
    if (shipmentId === undefined) throw this.#malformed(operation, response.body, 'expected the shipment id');
    return { shipmentId: String(shipmentId) };
  }

  async #json(request: HttpRequest, ctx: CallContext): Promise<unknown> {
    const response = await this.#http.request(request, ctx);
    if (response.status >= 200 && response.status < 300) return response.body;
    throw adobeCommerceError(this.#target, request.operation, response.status, response.body);
  }

  /** 400 is Magento's "bad input" answer (validation, a state that forbids the action); other 4xx are errors. */
  #refusal(operation: string, response: HttpResponse): Refusal {
    if (response.status !== 400) throw adobeCommerceError(this.#target, operation, response.status, response.body);
    return { refused: true, status: response.status, message: renderMagentoMessage(response.body) ?? 'HTTP 400', body: response.body };
  }

  #malformed(operation: string, body: unknown, expected: string): CrossdockError {
    return new CrossdockError('target.rejected', `Adobe Commerce answered ${operation} with an unexpected body: ${expected}`, {
      target: this.#target,
      context: { operation, body: typeof body === 'string' ? body.slice(0, 500) : body },
    });
  }
}

function searchCriteria(filters: readonly Filter[]): URLSearchParams {
  const params = new URLSearchParams();
  // One filter group per filter: groups are ANDed, filters inside a group ORed.
  filters.forEach((filter, group) => {
    const prefix = `searchCriteria[filter_groups][${group}][filters][0]`;
    params.set(`${prefix}[field]`, filter.field);
    params.set(`${prefix}[value]`, filter.value);
    params.set(`${prefix}[condition_type]`, filter.conditionType);
  });
  return params;
}
