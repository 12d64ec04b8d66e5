import type { CallContext } from '../capabilities.js';
import type { ChannelDeps } from '../../channels/types.js';
import { CrossdockError } from '../../errors/crossdock-error.js';
import type { HttpClient, HttpResponse } from '../../protect/types.js';
import { isRecord, record, text, type JsonRecord } from './document.js';
import { ensureOk } from './errors.js';
import { LwaTokens } from './lwa.js';
import { RestrictedDataTokens, type RestrictedResource } from './rdt.js';
import { OPERATIONS, type Operation, type ResolvedAmazonSettings } from './settings.js';
import { UsageBuckets } from './usage-plans.js';

/**
 * Longest wait for a usage-plan token that is pushed into the instance's policy (`holdOff`)
 * and waited out. A longer one (getOrders refills one token a minute) is one operation's
 * budget running dry: that call is refused at once with `target.rate-limited` and its delay,
 * and the job queue comes back later, while the instance's other operations go on.
 */
const HOLD_OFF_LIMIT_MS = 2_000;
/** Added to a computed wait: timers may fire a little early and Amazon's clock is not ours. */
const PACE_MARGIN_MS = 50;

export interface GetOrdersQuery {
  marketplaceIds: readonly string[];
  lastUpdatedAfter: string;
  lastUpdatedBefore: string;
  nextToken?: string;
}

type Auth = { kind: 'lwa' } | { kind: 'rdt'; resources: RestrictedResource[] };

interface SpApiRequest {
  operation: Operation;
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  body?: unknown;
  auth: Auth;
}

/**
 * Amazon Selling Partner API through the instance's protection policy: LWA authentication
 * (one refresh and retry on 401/403), Restricted Data Tokens for buyer data, per-operation
 * usage plans, and SP-API error shapes turned into CrossdockErrors.
 */
export class AmazonClient {
  readonly lwa: LwaTokens;
  readonly rdt: RestrictedDataTokens;
  readonly buckets: UsageBuckets;
  readonly #http: Record<Operation, HttpClient>;

  constructor(private readonly instance: string, private readonly settings: ResolvedAmazonSettings, private readonly deps: ChannelDeps) {
    const lwaUrl = new URL(settings.lwaEndpoint);
    this.lwa = new LwaTokens(deps.http({ baseUrl: lwaUrl.origin, target: 'lwa' }), lwaUrl.pathname, settings, deps.clock);
    this.buckets = new UsageBuckets(settings.usagePlans, deps.clock);
    // One client per operation on the same instance policy, each reading its own usage plan
    // when a 429 comes without Retry-After (SP-API sends none: the wait is one token, 1/rate s).
    this.#http = Object.fromEntries(OPERATIONS.map((operation) => [operation, deps.http({
      baseUrl: settings.endpoint,
      retryAfter: (headers) => {
        const reported = Number.parseFloat(headers.get('x-amzn-ratelimit-limit') ?? '');
        const rate = Number.isFinite(reported) && reported > 0 ? reported : this.buckets.rate(operation);
        return Math.ceil(1000 / rate);
      },
    })])) as Record<Operation, HttpClient>;
    this.rdt = new RestrictedDataTokens((resources, ctx) => this.createRestrictedDataToken(resources, ctx), deps.clock);
  }

  /** One `getOrders` page (Orders API v0): the orders and the NextToken of the next page. */
  async getOrders(query: GetOrdersQuery, restricted: boolean, ctx: CallContext): Promise<{ orders: JsonRecord[]; nextToken: string | undefined }> {
    // NextToken pages repeat the original filters: "NextToken doesn't affect any filters that
    // you include in your request; it only impacts the pagination" (getOrders reference).
    const params = new URLSearchParams({
      MarketplaceIds: query.marketplaceIds.join(','),
      LastUpdatedAfter: query.lastUpdatedAfter,
      LastUpdatedBefore: query.lastUpdatedBefore,
      MaxResultsPerPage: '100',
    });
    if (query.nextToken !== undefined) params.set('NextToken', query.nextToken);
    const auth: Auth = restricted
      ? { kind: 'rdt', resources: [{ method: 'GET', path: '/orders/v0/orders', dataElements: ['buyerInfo', 'shippingAddress'] }] }
      : { kind: 'lwa' };
    const response = ensureOk(await this.send({ operation: 'getOrders', method: 'GET', path: `/orders/v0/orders?${params}`, auth }, ctx), this.instance, 'getOrders');
    const payload = record(record(response.body)?.payload);
    if (payload === undefined || !Array.isArray(payload.Orders)) throw this.malformed('getOrders', response);
    return { orders: payload.Orders.filter(isRecord), nextToken: text(payload.NextToken) };
  }

  /** Every item of one order, following `getOrderItems` NextToken pages. */
  async getOrderItems(amazonOrderId: string, resources: RestrictedResource[] | undefined, ctx: CallContext): Promise<JsonRecord[]> {
    const items: JsonRecord[] = [];
    const base = `/orders/v0/orders/${encodeURIComponent(amazonOrderId)}/orderItems`;
    let nextToken: string | undefined;
    do {
      const path = nextToken === undefined ? base : `${base}?${new URLSearchParams({ NextToken: nextToken })}`;
      const auth: Auth = resources === undefined ? { kind: 'lwa' } : { kind: 'rdt', resources };
      const response = ensureOk(await this.send({ operation: 'getOrderItems', method: 'GET', path, auth }, ctx), this.instance, 'getOrderItems');
      const payload = record(record(response.body)?.payload);
      if (payload === undefined || !Array.isArray(payload.OrderItems)) throw this.malformed('getOrderItems', response);
      items.push(...payload.OrderItems.filter(isRecord));
      nextToken = text(payload.NextToken);
    } while (nextToken !== undefined);
    return items;
  }

  /** `confirmShipment`: the answer as is (204, or the 400 the caller interprets). */
  async confirmShipment(amazonOrderId: string, body: unknown, ctx: CallContext): Promise<HttpResponse> {
    const path = `/orders/v0/orders/${encodeURIComponent(amazonOrderId)}/shipmentConfirmation`;
    return this.send({ operation: 'confirmShipment', method: 'POST', path, body, auth: { kind: 'lwa' } }, ctx);
  }

  /** `patchListingsItem` (Listings Items API 2021-08-01) for one SellerSKU in the instance's marketplaces. */
  async patchListingsItem(sellerSku: string, body: unknown, ctx: CallContext): Promise<HttpResponse> {
    const query = new URLSearchParams({ marketplaceIds: this.settings.marketplaceIds.join(',') });
    const path = `/listings/2021-08-01/items/${encodeURIComponent(this.settings.sellerId)}/${encodeURIComponent(sellerSku)}?${query}`;
    return this.send({ operation: 'patchListingsItem', method: 'PATCH', path, body, auth: { kind: 'lwa' } }, ctx);
  }

  private async createRestrictedDataToken(resources: RestrictedResource[], ctx: CallContext): Promise<{ token: string; expiresIn: number }> {
    const request: SpApiRequest = {
      operation: 'createRestrictedDataToken', method: 'POST', path: '/tokens/2021-03-01/restrictedDataToken',
      body: { restrictedResources: resources }, auth: { kind: 'lwa' },
    };
    const response = ensureOk(await this.send(request, ctx), this.instance, 'createRestrictedDataToken');
    const body = record(response.body);
    const token = text(body?.restrictedDataToken);
    if (token === undefined || typeof body?.expiresIn !== 'number') throw this.malformed('createRestrictedDataToken', response);
    return { token, expiresIn: body.expiresIn };
  }

  /**
   * Sends with the right access token. An SP-API 401/403 means the token expired or was
   * revoked (or the app lacks a role): the token is dropped and the call tried once more with
   * a fresh one; a second refusal is `channel.unauthorized`.
   */
  private async send(request: SpApiRequest, ctx: CallContext): Promise<HttpResponse> {
    for (let attempt = 1; ; attempt++) {
      const token = request.auth.kind === 'lwa' ? await this.lwa.get(ctx) : await this.rdt.get(request.auth.resources, ctx);
      await this.pace(request.operation);
      let response: HttpResponse;
      try {
        response = await this.#http[request.operation].request({
          method: request.method,
          path: request.path,
          operation: `amazon.${request.operation}`,
          headers: { 'x-amz-access-token': token },
          ...(request.body === undefined ? {} : { body: request.body }),
        }, ctx);
      } catch (error) {
        if (error instanceof CrossdockError && error.code === 'target.rate-limited' && error.context?.status === 429) this.buckets.drain(request.operation);
        throw error;
      }
      this.buckets.observeRate(request.operation, response.headers.get('x-amzn-ratelimit-limit'));
      if ((response.status === 401 || response.status === 403) && attempt === 1) {
        if (request.auth.kind === 'lwa') this.lwa.invalidate(token);
        else this.rdt.invalidate(request.auth.resources, token);
        continue;
      }
      return response;
    }
  }

  /** Waits for (or refuses) a usage-plan token, so Amazon never has to throttle crossdock. */
  private async pace(operation: Operation): Promise<void> {
    const waitMs = this.buckets.waitMs(operation);
    if (waitMs > HOLD_OFF_LIMIT_MS) {
      throw new CrossdockError('target.rate-limited', `Amazon ${operation} usage plan spent: next call in ${waitMs} ms`, {
        target: this.instance,
        retryAfterMs: waitMs,
        context: { operation, refusedBy: 'amazon usage plan', rate: this.buckets.rate(operation) },
      });
    }
    if (waitMs > 0) await this.deps.policy().holdOff(this.deps.clock.now() + waitMs + PACE_MARGIN_MS);
    this.buckets.take(operation);
  }

  private malformed(operation: string, response: HttpResponse): CrossdockError {
    return new CrossdockError('target.rejected', `Amazon ${operation} answered ${response.status} without the documented payload`, {
      target: this.instance,
      context: { operation, status: response.status, body: response.body },
    });
  }
}
