import type { CallContext } from '../capabilities.js';
import type { ChannelDeps } from '../../channels/types.js';
import { CrossdockError } from '../../errors/crossdock-error.js';
import type { Clock } from '../../lib/clock.js';
import type { HttpClient, HttpRequest, HttpResponse, ProtectionPolicy } from '../../protect/types.js';
import { isRecord, type WooNote, type WooProduct } from './document.js';

/** The WooCommerce REST API v3 lives under the site root: `{baseUrl}/wp-json/wc/v3`. */
export function apiBaseUrl(siteUrl: string): string {
  return `${siteUrl.replace(/\/+$/, '')}/wp-json/wc/v3`;
}

/**
 * "Authentication over HTTPS": HTTP Basic with the consumer key as user name and the consumer
 * secret as password (REST API docs, Authentication). Over plain HTTP WooCommerce wants OAuth
 * 1.0a instead, which crossdock does not speak: stores must be reached over HTTPS.
 */
export function basicAuthorization(consumerKey: string, consumerSecret: string): string {
  return `Basic ${Buffer.from(`${consumerKey}:${consumerSecret}`, 'utf8').toString('base64')}`;
}

/** `per_page` may not exceed 100 on any v3 collection (WC_REST_CRUD_Controller collection params). */
export const MAX_PER_PAGE = 100;
/** Batch endpoints take at most 100 objects per call by default (Batch update products). */
export const MAX_BATCH = 100;

export interface OrdersPage {
  orders: Record<string, unknown>[];
  /** `X-WP-TotalPages`; undefined when the host stripped the header. */
  totalPages: number | undefined;
  total: number | undefined;
}

export interface BatchItemResult {
  id: number;
  error?: { code?: string; message?: string };
}

/** The calls crossdock makes to one WooCommerce store, with WooCommerce's answers turned into crossdock's terms. */
export class WooClient {
  constructor(
    private readonly http: HttpClient,
    private readonly policy: ProtectionPolicy,
    private readonly clock: Clock,
  ) {}

  static create(deps: ChannelDeps, settings: { baseUrl: string; consumerKey: string; consumerSecret: string }): WooClient {
    const http = deps.http({
      baseUrl: apiBaseUrl(settings.baseUrl),
      defaultHeaders: { authorization: basicAuthorization(settings.consumerKey, settings.consumerSecret) },
    });
    return new WooClient(http, deps.policy(), deps.clock);
  }

  /** `GET /orders/{id}`; undefined when the store answers 404 (deleted for good, or never there). */
  async getOrder(id: string, ctx: CallContext): Promise<Record<string, unknown> | undefined> {
    try {
      return asRecord(await this.send({ method: 'GET', path: `/orders/${encodeURIComponent(id)}`, operation: 'order.get' }, ctx), 'order.get');
    } catch (error) {
      if (error instanceof CrossdockError && error.code === 'channel.not-found') return undefined;
      throw error;
    }
  }

  /**
   * One page of orders modified after `modifiedAfter` (UTC, exclusive as WordPress date queries
   * are), oldest modification first. `modified_after` and `orderby=modified` are collection
   * parameters of WooCommerce's v3 CRUD controller; `dates_are_gmt=true` makes the date UTC.
   */
  async listOrdersModifiedAfter(modifiedAfter: string, page: number, ctx: CallContext): Promise<OrdersPage> {
    const query = new URLSearchParams({
      modified_after: modifiedAfter,
      dates_are_gmt: 'true',
      orderby: 'modified',
      order: 'asc',
      per_page: String(MAX_PER_PAGE),
      page: String(page),
    });
    const response = await this.sendRaw({ method: 'GET', path: `/orders?${query.toString()}`, operation: 'orders.list' }, ctx);
    return {
      orders: asArray(response.body, 'orders.list').filter(isRecord),
      totalPages: headerNumber(response.headers, 'x-wp-totalpages'),
      total: headerNumber(response.headers, 'x-wp-total'),
    };
  }

  /** Every refund of an order with its line items (`GET /orders/{id}/refunds`, paginated like all collections). */
  async listRefunds(orderId: string, ctx: CallContext): Promise<unknown[]> {
    const refunds: unknown[] = [];
    for (let page = 1; ; page += 1) {
      const response = await this.sendRaw(
        { method: 'GET', path: `/orders/${encodeURIComponent(orderId)}/refunds?per_page=${MAX_PER_PAGE}&page=${page}`, operation: 'order.refunds' },
        ctx,
      );
      const items = asArray(response.body, 'order.refunds');
      refunds.push(...items);
      const totalPages = headerNumber(response.headers, 'x-wp-totalpages');
      if (items.length < MAX_PER_PAGE || (totalPages !== undefined && page >= totalPages)) return refunds;
    }
  }

  /** All notes of an order (the notes endpoint is not paginated). */
  async listNotes(orderId: string, ctx: CallContext): Promise<WooNote[]> {
    const body = await this.send({ method: 'GET', path: `/orders/${encodeURIComponent(orderId)}/notes`, operation: 'order.notes.list' }, ctx);
    return asArray(body, 'order.notes.list').filter((n): n is WooNote => isRecord(n) && typeof n.id === 'number' && typeof n.note === 'string');
  }

  async addNote(orderId: string, note: string, customerNote: boolean, ctx: CallContext): Promise<WooNote> {
    const body = await this.send(
      { method: 'POST', path: `/orders/${encodeURIComponent(orderId)}/notes`, operation: 'order.notes.create', body: { note, customer_note: customerNote } },
      ctx,
    );
    const created = asRecord(body, 'order.notes.create');
    if (typeof created.id !== 'number') throw contractBreach('order.notes.create', 'the created note has no id', body);
    return created as unknown as WooNote;
  }

  async setOrderStatus(orderId: string, status: string, ctx: CallContext): Promise<void> {
    await this.send({ method: 'PUT', path: `/orders/${encodeURIComponent(orderId)}`, operation: 'order.update', body: { status } }, ctx);
  }

  /**
   * Products and variations with these exact SKUs. `GET /products?sku=A,B` matches a
   * comma-separated list and, when a SKU is given, searches variations too (products v2
   * controller, prepare_objects_query); results are filtered to exact matches because a SKU
   * with a comma in it is also split.
   */
  async findBySkus(skus: readonly string[], ctx: CallContext): Promise<WooProduct[]> {
    const wanted = new Set(skus);
    const found: WooProduct[] = [];
    for (let page = 1; ; page += 1) {
      const query = new URLSearchParams({ sku: skus.join(','), per_page: String(MAX_PER_PAGE), page: String(page) });
      const response = await this.sendRaw({ method: 'GET', path: `/products?${query.toString()}`, operation: 'products.bySku' }, ctx);
      const items = asArray(response.body, 'products.bySku');
      for (const item of items) {
        if (isRecord(item) && typeof item.id === 'number' && typeof item.sku === 'string' && wanted.has(item.sku)) found.push(item as unknown as WooProduct);
      }
      const totalPages = headerNumber(response.headers, 'x-wp-totalpages');
      if (items.length < MAX_PER_PAGE || (totalPages !== undefined && page >= totalPages)) return found;
    }
  }

  /** `POST /products/batch` or `/products/{parent}/variations/batch` with `update` items; per-item errors come back in the 200 answer. */
  async batchUpdate(parentId: number | undefined, update: readonly Record<string, unknown>[], ctx: CallContext): Promise<BatchItemResult[]> {
    const path = parentId === undefined ? '/products/batch' : `/products/${parentId}/variations/batch`;
    const operation = parentId === undefined ? 'products.batch' : 'variations.batch';
    const body = asRecord(await this.send({ method: 'POST', path, operation, body: { update } }, ctx), operation);
    return (Array.isArray(body.update) ? body.update : []).filter(isRecord).map((item) => ({
      id: typeof item.id === 'number' ? item.id : Number(item.id),
      ...(isRecord(item.error) ? { error: { code: String(item.error.code ?? ''), message: String(item.error.message ?? '') } } : {}),
    }));
  }

  private async send(request: HttpRequest, ctx: CallContext): Promise<unknown> {
    return (await this.sendRaw(request, ctx)).body;
  }

  private async sendRaw(request: HttpRequest, ctx: CallContext): Promise<HttpResponse> {
    const response = await this.http.request(request, ctx);
    await this.respectBudget(response.headers);
    if (response.status >= 200 && response.status < 300) return response;
    throw wooError(response, request.operation);
  }

  /**
   * WooCommerce publishes no call budget for the v3 API; hosts and its Store API answer 429 with
   * `Retry-After` (honoured by the protection policy). Where a host also sends the IETF
   * `RateLimit-Remaining` / `RateLimit-Reset` headers, an exhausted budget holds every process
   * off until the reset instead of waiting for the 429.
   */
  private async respectBudget(headers: Headers): Promise<void> {
    const remaining = headerNumber(headers, 'ratelimit-remaining') ?? headerNumber(headers, 'x-ratelimit-remaining');
    if (remaining === undefined || remaining > 0) return;
    const reset = headerNumber(headers, 'ratelimit-reset') ?? headerNumber(headers, 'x-ratelimit-reset');
    if (reset === undefined) return;
    const now = this.clock.now();
    // Delta seconds per the IETF draft; WooCommerce's Store API sends an epoch timestamp.
    const until = reset > 1_000_000_000 ? reset * 1000 : now + reset * 1000;
    if (until > now) await this.policy.holdOff(until);
  }
}

/**
 * WooCommerce errors are `{ code, message, data: { status } }` (WP_Error as JSON). 401/403: the
 * key is wrong, revoked or read-only. 404, and the 400 `woocommerce_rest_shop_order_invalid_id`
 * that updates of a missing order answer: the document is not there. `rest_no_route` means the
 * base URL or the permalinks are wrong: a configuration problem, not a missing document.
 */
export function wooError(response: HttpResponse, operation: string): CrossdockError {
  const body = isRecord(response.body) ? response.body : {};
  const code = typeof body.code === 'string' ? body.code : '';
  const vendorMessage = typeof body.message === 'string' ? body.message : typeof response.body === 'string' ? response.body.slice(0, 500) : '';
  const text = `WooCommerce answered ${operation} with HTTP ${response.status}${code ? ` ${code}` : ''}: ${vendorMessage || '(no message)'}`;
  const options = { target: 'woocommerce', context: { operation, status: response.status, code, message: vendorMessage } };
  if (response.status === 401 || response.status === 403) return new CrossdockError('channel.unauthorized', text, options);
  if ((response.status === 404 && code !== 'rest_no_route') || (/_invalid_id$/.test(code) && response.status < 500)) {
    return new CrossdockError('channel.not-found', text, options);
  }
  return new CrossdockError('target.rejected', text, options);
}

function contractBreach(operation: string, message: string, body: unknown): CrossdockError {
  return new CrossdockError('target.rejected', `WooCommerce answered ${operation} unexpectedly: ${message}`, {
    target: 'woocommerce',
    context: { operation, body: JSON.stringify(body)?.slice(0, 500) },
  });
}

function asArray(body: unknown, operation: string): unknown[] {
  if (Array.isArray(body)) return body;
  throw contractBreach(operation, 'expected a JSON array', body);
}

function asRecord(body: unknown, operation: string): Record<string, unknown> {
  if (isRecord(body)) return body;
  throw contractBreach(operation, 'expected a JSON object', body);
}

function headerNumber(headers: Headers, name: string): number | undefined {
  const value = headers.get(name);
  if (value === null || value.trim() === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}
