import type { ChannelDeps } from '../../channels/types.js';
import type { CallContext } from '../capabilities.js';
import { CrossdockError } from '../../errors/crossdock-error.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../../protect/types.js';
import type { BigCommerceOrderDocument } from './document.js';
import type { ResolvedSettings } from './settings.js';
import { isRecord, type Json, nonZero, amount, records, text } from './values.js';

/**
 * BigCommerce's store API through crossdock's protection policy: `X-Auth-Token`
 * authentication, v2 page/limit pagination (204 No Content for an empty page), the
 * `X-Rate-Limit-*` headers (rate-limit guide: every app on the store shares one quota per
 * window), and both error shapes (v2 `[{ status, message }]`, v3 `{ status, title, type, errors }`).
 */
export class BigCommerceClient {
  private readonly http: HttpClient;

  constructor(
    private readonly settings: ResolvedSettings,
    private readonly deps: ChannelDeps,
  ) {
    this.http = deps.http({
      baseUrl: settings.apiBaseUrl,
      defaultHeaders: { 'x-auth-token': settings.accessToken, accept: 'application/json' },
      retryAfter: throttledFor,
    });
  }

  /** `GET /v2/orders/{id}`; undefined when the order does not exist (deleted). */
  async getOrder(id: number, ctx: CallContext): Promise<Json | undefined> {
    const response = await this.send({ method: 'GET', path: `/v2/orders/${id}`, operation: 'order.get' }, ctx, { notFound: 'undefined' });
    if (response.status === 404) return undefined;
    if (!isRecord(response.body)) throw this.unexpected('order.get', response);
    return response.body;
  }

  /** One page of `GET /v2/orders` modified since `minDateModified`, oldest change first. */
  async listOrders(minDateModified: string, page: number, ctx: CallContext): Promise<Json[]> {
    const query = new URLSearchParams({ min_date_modified: minDateModified, sort: 'date_modified:asc', page: String(page), limit: String(this.settings.pageSize) });
    const response = await this.send({ method: 'GET', path: `/v2/orders?${query}`, operation: 'orders.list' }, ctx);
    return this.list('orders.list', response);
  }

  /** Every row of a paginated v2 sub-resource (`/v2/orders/{id}/products` …). */
  async listAll(path: string, operation: string, ctx: CallContext): Promise<Json[]> {
    const rows: Json[] = [];
    for (let page = 1; ; page++) {
      const query = new URLSearchParams({ page: String(page), limit: String(this.settings.pageSize) });
      const response = await this.send({ method: 'GET', path: `${path}?${query}`, operation }, ctx);
      const batch = this.list(operation, response);
      rows.push(...batch);
      if (batch.length < this.settings.pageSize) return rows;
    }
  }

  /**
   * The whole order: the v2 order plus its products, shipping addresses and, when it has a
   * coupon discount, its coupons. Undefined when the order is gone.
   */
  async getOrderDocument(id: number, ctx: CallContext): Promise<BigCommerceOrderDocument | undefined> {
    const order = await this.getOrder(id, ctx);
    if (!order) return undefined;
    return this.completeOrder(order, ctx);
  }

  /** Fetches the sub-resources of an order already read (from the list or by id). */
  async completeOrder(order: Json, ctx: CallContext): Promise<BigCommerceOrderDocument> {
    const id = Number(order.id);
    const products = await this.listAll(`/v2/orders/${id}/products`, 'order.products', ctx);
    const shippingAddresses = await this.listAll(`/v2/orders/${id}/shipping_addresses`, 'order.shippingAddresses', ctx);
    const coupons = nonZero(amount(order.coupon_discount)) ? await this.listAll(`/v2/orders/${id}/coupons`, 'order.coupons', ctx) : [];
    return { order, products, shippingAddresses, coupons };
  }

  async listShipments(orderId: number, ctx: CallContext): Promise<Json[]> {
    return this.listAll(`/v2/orders/${orderId}/shipments`, 'shipments.list', ctx);
  }

  /** `POST /v2/orders/{id}/shipments`; the created shipment. */
  async createShipment(orderId: number, body: unknown, ctx: CallContext): Promise<Json> {
    const response = await this.send({ method: 'POST', path: `/v2/orders/${orderId}/shipments`, operation: 'shipment.create', body }, ctx);
    if (!isRecord(response.body)) throw this.unexpected('shipment.create', response);
    return response.body;
  }

  /**
   * `PUT /v3/inventory/adjustments/absolute`. A 422 is returned, not thrown: it names the items
   * the store does not know, which the caller reports as rejected.
   */
  async absoluteAdjustment(body: unknown, ctx: CallContext): Promise<HttpResponse> {
    return this.send({ method: 'PUT', path: '/v3/inventory/adjustments/absolute', operation: 'inventory.absolute', body }, ctx, { unprocessable: 'return' });
  }

  private async send(request: HttpRequest, ctx: CallContext, accept: { notFound?: 'undefined'; unprocessable?: 'return' } = {}): Promise<HttpResponse> {
    const response = await this.http.request(request, ctx);
    await this.observeRateLimit(response.headers);
    const { status } = response;
    if (status >= 200 && status < 300) return response;
    const message = vendorMessage(response.body) ?? `HTTP ${status}`;
    const context = { operation: request.operation, status, body: response.body };
    if (status === 401 || status === 403) {
      throw new CrossdockError('channel.unauthorized', `BigCommerce refused the access token for ${request.operation}: ${message}`, { target: 'bigcommerce', context });
    }
    if (status === 404 && accept.notFound) return response;
    if (status === 422 && accept.unprocessable) return response;
    if (status === 404) throw new CrossdockError('channel.not-found', `BigCommerce does not know ${request.path}: ${message}`, { target: 'bigcommerce', context });
    throw new CrossdockError('target.rejected', `BigCommerce refused ${request.operation} (HTTP ${status}): ${message}`, { target: 'bigcommerce', context });
  }

  /**
   * Every answer says how many requests are left in the window and when it resets; when the
   * store's shared quota is nearly spent, the whole instance waits for the reset instead of
   * being answered 429.
   */
  private async observeRateLimit(headers: Headers): Promise<void> {
    const left = Number(headers.get('x-rate-limit-requests-left'));
    const reset = resetMs(headers);
    if (!headers.has('x-rate-limit-requests-left') || !Number.isFinite(left) || reset === undefined) return;
    if (left <= this.settings.rateLimitReserve) await this.deps.policy().holdOff(this.deps.clock.now() + reset);
  }

  private list(operation: string, response: HttpResponse): Json[] {
    // v2 answers an empty page with 204 No Content (Orders V2: Get Order Shipments).
    if (response.status === 204 || response.body === undefined) return [];
    if (!Array.isArray(response.body)) throw this.unexpected(operation, response);
    return records(response.body);
  }

  private unexpected(operation: string, response: HttpResponse): CrossdockError {
    return new CrossdockError('target.rejected', `BigCommerce answered ${operation} with an unexpected body (HTTP ${response.status})`, {
      target: 'bigcommerce',
      context: { operation, status: response.status, body: response.body },
    });
  }
}

/**
 * The wait a 429 asks for: BigCommerce says it in `X-Rate-Limit-Time-Reset-Ms`, not in
 * Retry-After. Every answer carries that header, so a 5xx from a store with requests left is
 * not made to wait for the window: it is retried with the policy's own backoff.
 */
export function throttledFor(headers: Headers): number | undefined {
  const left = headers.get('x-rate-limit-requests-left');
  if (left !== null && Number(left) > 0) return undefined;
  return resetMs(headers);
}

/** `X-Rate-Limit-Time-Reset-Ms`: milliseconds until the quota window resets. */
export function resetMs(headers: Headers): number | undefined {
  const raw = headers.get('x-rate-limit-time-reset-ms');
  if (raw === null || raw.trim() === '') return undefined;
  const ms = Number(raw);
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

/** The vendor's own words from either error shape. */
export function vendorMessage(body: unknown): string | undefined {
  if (Array.isArray(body)) {
    // v2: [{ "status": 400, "message": "The field 'x' cannot be written to…", "details": {…} }]
    const messages = body.filter(isRecord).map((e) => text(e.message)).filter((m): m is string => m !== undefined);
    return messages.length > 0 ? messages.join('; ') : undefined;
  }
  if (isRecord(body)) {
    // v3: { "status": 422, "title": "…", "type": "…", "errors": { "field": "why" } }
    const title = text(body.title) ?? text(body.message);
    const details = isRecord(body.errors) ? Object.entries(body.errors).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`) : [];
    const parts = [title, ...details].filter((p): p is string => p !== undefined && p !== '');
    return parts.length > 0 ? parts.join('; ') : undefined;
  }
  return typeof body === 'string' && body.trim() !== '' ? body.trim().slice(0, 500) : undefined;
}
