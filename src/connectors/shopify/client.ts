import type { ChannelDeps } from '../../channels/types.js';
import { CrossdockError } from '../../errors/crossdock-error.js';
import type { HttpResponse } from '../../protect/types.js';
import type { CallContext } from '../capabilities.js';
import { graphqlWaitMs, readThrottleStatus, restHoldOffUntil, type ThrottleStatus } from './rate-signals.js';
import { asArray, asRecord, text } from './read.js';
import type { ResolvedShopifySettings } from './settings.js';

/** One page of `GET orders.json`. */
export interface OrdersPage {
  orders: readonly unknown[];
  /** Path and query of the next page (`Link: <…page_info=…>; rel="next"`), undefined on the last page. */
  next: string | undefined;
}

/** The Shopify Admin API as the connector's parts use it. Every call goes through the instance's protection policy. */
export interface ShopifyClient {
  /** `GET /admin/api/{version}/orders.json?{query}` or a `next` path from a previous page. */
  ordersPage(pathOrQuery: { query: string } | { next: string }, ctx: CallContext): Promise<OrdersPage>;
  /** `GET /admin/api/{version}/orders/{id}.json`; `channel.not-found` when Shopify does not know it. */
  order(id: string, ctx: CallContext): Promise<unknown>;
  /**
   * `POST /admin/api/{version}/graphql.json`: the `data` of the answer. `estimatedCost` is the
   * query's cost before Shopify has told us its real one (the last requested cost is used after).
   */
  graphql(operation: string, query: string, variables: Record<string, unknown>, ctx: CallContext, estimatedCost?: number): Promise<JsonData>;
}

export type JsonData = Readonly<Record<string, unknown>>;

/** Retries of a THROTTLED GraphQL answer inside one call, each after the wait the throttle status gives. */
const THROTTLED_RETRIES = 2;

/**
 * The REST Admin API and the GraphQL Admin API of one shop. GraphQL has its own cost bucket at
 * Shopify, so it runs under its own sub-target (`<instance>.graphql`): a full REST bucket must
 * not hold back an inventory push, and the reverse.
 */
export function createShopifyClient(settings: ResolvedShopifySettings, deps: ChannelDeps): ShopifyClient {
  const headers = { 'x-shopify-access-token': settings.accessToken };
  const rest = deps.http({ baseUrl: settings.apiBaseUrl, defaultHeaders: headers });
  const gql = deps.http({ baseUrl: settings.apiBaseUrl, defaultHeaders: headers, target: 'graphql' });
  const prefix = `/admin/api/${settings.apiVersion}`;
  const throttle = new GraphqlThrottle();

  /** Reads the call-limit header of every REST answer and holds the policy back before the bucket fills. */
  const restRequest = async (path: string, operation: string, ctx: CallContext): Promise<HttpResponse> => {
    const response = await rest.request({ method: 'GET', path, operation }, ctx);
    const until = restHoldOffUntil(response.headers.get('x-shopify-shop-api-call-limit'), deps.clock.now());
    if (until !== undefined) await deps.policy().holdOff(until);
    return response;
  };

  return {
    async ordersPage(request, ctx) {
      // With page_info, Shopify accepts only limit and fields: the next link is used exactly as given.
      const path = 'next' in request ? request.next : `${prefix}/orders.json?${request.query}`;
      const response = await restRequest(path, 'orders.list', ctx);
      if (response.status !== 200) throw vendorError(response, 'orders.list');
      const orders = asRecord(response.body)?.orders;
      if (!Array.isArray(orders)) throw new CrossdockError('target.rejected', 'Shopify answered orders.json without an orders array', { context: { status: response.status } });
      return { orders, next: nextPagePath(response.headers.get('link'), `${prefix}/orders.json`) };
    },

    async order(id, ctx) {
      const response = await restRequest(`${prefix}/orders/${encodeURIComponent(id)}.json`, 'orders.get', ctx);
      if (response.status !== 200) throw vendorError(response, 'orders.get', `order ${id}`);
      const order = asRecord(response.body)?.order;
      if (asRecord(order) === undefined) throw new CrossdockError('target.rejected', `Shopify answered order ${id} without an order`);
      return order;
    },

    async graphql(operation, query, variables, ctx, estimatedCost = 10) {
      for (let attempt = 0; ; attempt++) {
        await throttle.waitFor(operation, estimatedCost, deps);
        const response = await gql.request({ method: 'POST', path: `${prefix}/graphql.json`, operation, body: { query, variables } }, ctx);
        if (response.status !== 200) throw vendorError(response, operation);
        const body = asRecord(response.body) ?? {};
        const cost = readThrottleStatus(body.extensions);
        if (cost) throttle.record(operation, cost.status, cost.requestedQueryCost, deps.clock.now());
        const errors = asArray(body.errors).map(asRecord).filter((e) => e !== undefined);
        if (errors.some((e) => asRecord(e.extensions)?.code === 'THROTTLED')) {
          // Shopify answers a throttled query with HTTP 200 and `errors[].extensions.code: THROTTLED`
          // (GraphQL Admin API rate limits); the wait follows from the throttle status.
          const retryAfterMs = cost ? graphqlWaitMs(cost.status, cost.requestedQueryCost ?? estimatedCost) : 1000;
          await deps.policy('graphql').holdOff(deps.clock.now() + retryAfterMs);
          if (attempt < THROTTLED_RETRIES) continue;
          throw new CrossdockError('target.rate-limited', `Shopify throttled ${operation} (GraphQL cost bucket empty)`, {
            retryAfterMs,
            context: { operation, cost: body.extensions },
          });
        }
        if (errors.length > 0) throw graphqlError(errors, operation);
        const data = asRecord(body.data);
        if (data === undefined) throw new CrossdockError('target.rejected', `Shopify answered ${operation} without data`);
        return data;
      }
    },
  };
}

/** What the last GraphQL answers said of the cost bucket: queries wait (via holdOff) until theirs fits. */
class GraphqlThrottle {
  #status: ThrottleStatus | undefined;
  #seenAt = 0;
  readonly #costs = new Map<string, number>();

  async waitFor(operation: string, estimate: number, deps: ChannelDeps): Promise<void> {
    if (this.#status === undefined) return;
    const now = deps.clock.now();
    const wait = graphqlWaitMs(this.#status, this.#costs.get(operation) ?? estimate, now - this.#seenAt);
    if (wait > 0) await deps.policy('graphql').holdOff(now + wait);
  }

  record(operation: string, status: ThrottleStatus, requested: number | undefined, now: number): void {
    this.#status = status;
    this.#seenAt = now;
    if (requested !== undefined) this.#costs.set(operation, requested);
  }
}

/** The `rel="next"` URL of a `Link` header, as a path on our own base URL with its query untouched. */
export function nextPagePath(link: string | null, path: string): string | undefined {
  for (const part of (link ?? '').split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (!match) continue;
    const url = new URL(match[1]!, 'https://shop.invalid');
    return `${path}${url.search}`;
  }
  return undefined;
}

/** Shopify's REST error body is `{"errors": "text"}` or `{"errors": {"field": ["text"]}}`. */
function errorText(body: unknown): string {
  const errors = asRecord(body)?.errors ?? body;
  if (typeof errors === 'string') return errors;
  if (Array.isArray(errors)) return errors.map((e) => text(asRecord(e)?.message) ?? JSON.stringify(e)).join('; ');
  return JSON.stringify(errors ?? null);
}

/** A non-200 answer (429 and 5xx never get here: the HTTP client throws them as transient). */
export function vendorError(response: HttpResponse, operation: string, what?: string): CrossdockError {
  const vendor = errorText(response.body);
  const context = { operation, status: response.status, vendorError: vendor };
  if (response.status === 401 || response.status === 403) {
    return new CrossdockError('channel.unauthorized', `Shopify refused the credentials for ${operation}: ${vendor}`, { context });
  }
  if (response.status === 404) {
    return new CrossdockError('channel.not-found', `Shopify does not know ${what ?? 'the requested resource'} (${operation}): ${vendor}`, { context });
  }
  return new CrossdockError('target.rejected', `Shopify rejected ${operation} with HTTP ${response.status}: ${vendor}`, { context });
}

/** GraphQL top-level errors: ACCESS_DENIED is a scope problem (credentials), the rest a contract problem. */
function graphqlError(errors: readonly Readonly<Record<string, unknown>>[], operation: string): CrossdockError {
  const vendor = errors.map((e) => text(e.message) ?? JSON.stringify(e)).join('; ');
  const denied = errors.some((e) => asRecord(e.extensions)?.code === 'ACCESS_DENIED');
  return new CrossdockError(denied ? 'channel.unauthorized' : 'target.rejected', `Shopify answered ${operation} with errors: ${vendor}`, {
    context: { operation, errors },
  });
}
