import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local Amazon Selling Partner API (+ Login with Amazon) for tests and benchmarks, following
 * the documented contract of what the connector calls:
 * - `POST /auth/o2/token` (LWA refresh-token grant, form-encoded): 401 `invalid_client` for a
 *   wrong client id/secret, 400 `invalid_grant` for a wrong refresh token; tokens expire.
 * - `POST /tokens/2021-03-01/restrictedDataToken` (Tokens API): RDTs for restricted resources;
 *   403 when the app lacks the restricted roles (`restrictedRoles: false`).
 * - `GET /orders/v0/orders` (getOrders): MarketplaceIds required, LastUpdatedAfter/Before with
 *   the 2-minute rule (LastUpdatedBefore at least 2 minutes before now; orders updated in the
 *   last 2 minutes not yet visible), ascending LastUpdateDate, MaxResultsPerPage ≤ 100,
 *   NextToken pages that repeat the original filters (a changed filter is refused).
 * - `GET /orders/v0/orders/{id}/orderItems` (getOrderItems) with NextToken pages.
 * - Restricted data: without an RDT naming `buyerInfo` / `shippingAddress`, BuyerInfo is
 *   removed and ShippingAddress keeps only City, StateOrRegion, PostalCode, CountryCode; no
 *   address at all before Unshipped or once Canceled (Order model notes).
 * - `POST /orders/v0/orders/{id}/shipmentConfirmation` (confirmShipment) → 204; the same
 *   packageReferenceId again edits that package (documented); a new package for items with
 *   nothing left to ship → 400 "…order already fulfilled" (PackageToUpdateNotFound).
 * - `PATCH /listings/2021-08-01/items/{sellerId}/{sku}` (patchListingsItem) → ACCEPTED, or
 *   INVALID with an ERROR issue for an unknown SKU (issue code `LISTING_NOT_FOUND` is the
 *   fake's own).
 * - Usage plans: a token bucket per operation (documented rate and burst unless overridden),
 *   `x-amzn-RateLimit-Limit` on every answer but 429, and 429 `QuotaExceeded` without
 *   Retry-After (as SP-API) when empty (`retryAfterOn429` adds one).
 * - SP-API errors as `{"errors":[{"code","message","details"}]}`; 403 for a missing, invalid or
 *   expired `x-amz-access-token`.
 *
 * API: `seedOrder`, `updateOrder`, `seedListing`, `expireTokens`, `failNext(operation, status,
 * times)`; records in `calls`, `packages`, `listings`, `tokensIssued`, `rdtsIssued`.
 */

export type FakeOperation = 'lwa' | 'createRestrictedDataToken' | 'getOrders' | 'getOrderItems' | 'confirmShipment' | 'patchListingsItem';
type Json = Record<string, unknown>;

export interface AmazonFakeOptions {
  /** @default 'amzn1.application-oa2-client.crossdock-test' */
  clientId?: string;
  /** @default 'lwa-secret' */
  clientSecret?: string;
  /** @default 'Atzr|crossdock-test-refresh' */
  refreshToken?: string;
  /** @default 'A2SELLERCROSSDOCK' */
  sellerId?: string;
  /** LWA access token lifetime (`expires_in`). @default 3600 */
  tokenTtlSeconds?: number;
  /** The app holds the restricted roles (RDTs are granted). @default true */
  restrictedRoles?: boolean;
  /** Usage plans enforced per operation. @default the documented plans */
  usagePlans?: Partial<Record<Exclude<FakeOperation, 'lwa'>, { rate: number; burst: number }>>;
  /** Enforce usage plans at all. @default true */
  rateLimits?: boolean;
  /** Send `Retry-After` (seconds) with 429s. @default false (SP-API does not) */
  retryAfterOn429?: boolean;
  /** Items per getOrderItems page. @default 100 */
  itemsPerPage?: number;
  /** The fake's clock (the 2-minute rule, updates, expiry). @default Date.now */
  now?: () => number;
}

export interface RecordedCall {
  operation: FakeOperation | 'unknown';
  method: string;
  path: string;
  query: Record<string, string>;
  accessToken: string | undefined;
  body: unknown;
  status: number;
}

export interface ConfirmedPackage {
  orderId: string;
  packageReferenceId: string;
  body: Json;
  /** Times the same package was sent again (Amazon edits it in place). */
  edits: number;
}

export interface FakeListing {
  sku: string;
  productType?: string;
  quantity?: number;
  submissions: { submissionId: string; body: unknown }[];
}

export interface AmazonFake {
  /** SP-API endpoint (the connector's `endpoint`). */
  url: string;
  /** LWA token endpoint (the connector's `lwaEndpoint`). */
  lwaEndpoint: string;
  options: Required<Omit<AmazonFakeOptions, 'usagePlans'>> & { usagePlans: Record<Exclude<FakeOperation, 'lwa'>, { rate: number; burst: number }> };
  calls: RecordedCall[];
  packages: ConfirmedPackage[];
  listings: Map<string, FakeListing>;
  readonly tokensIssued: number;
  readonly rdtsIssued: number;
  /** Adds or replaces an order (Orders API v0 Order + OrderItem objects). */
  seedOrder(order: Json, items: Json[]): void;
  /** Changes an order; LastUpdateDate becomes `at` (default: now). */
  updateOrder(orderId: string, patch: Json, at?: number): void;
  order(orderId: string): { order: Json; items: Json[] } | undefined;
  seedListing(sku: string, productType?: string): void;
  /** Every LWA token and RDT issued so far expires now. */
  expireTokens(): void;
  /** The next `times` calls of `operation` answer `status` (e.g. 500, 503). */
  failNext(operation: FakeOperation, status?: number, times?: number): void;
  callsOf(operation: FakeOperation): RecordedCall[];
  close(): Promise<void>;
}

const DOCUMENTED_PLANS = {
  getOrders: { rate: 0.0167, burst: 20 },
  getOrderItems: { rate: 0.5, burst: 30 },
  confirmShipment: { rate: 2, burst: 10 },
  patchListingsItem: { rate: 5, burst: 10 },
  createRestrictedDataToken: { rate: 1, burst: 10 },
};
const ADDRESS_STATUSES = new Set(['Unshipped', 'PartiallyShipped', 'Shipped', 'InvoiceUnconfirmed']);
const TWO_MINUTES = 120_000;

export async function startAmazonFake(input: AmazonFakeOptions = {}): Promise<AmazonFake> {
  const options: AmazonFake['options'] = {
    clientId: input.clientId ?? 'amzn1.application-oa2-client.crossdock-test',
    clientSecret: input.clientSecret ?? 'lwa-secret',
    refreshToken: input.refreshToken ?? 'Atzr|crossdock-test-refresh',
    sellerId: input.sellerId ?? 'A2SELLERCROSSDOCK',
    tokenTtlSeconds: input.tokenTtlSeconds ?? 3600,
    restrictedRoles: input.restrictedRoles ?? true,
    usagePlans: { ...DOCUMENTED_PLANS, ...input.usagePlans },
    rateLimits: input.rateLimits ?? true,
    retryAfterOn429: input.retryAfterOn429 ?? false,
    itemsPerPage: input.itemsPerPage ?? 100,
    now: input.now ?? Date.now,
  };
  const now = () => options.now();
  const orders = new Map<string, { order: Json; items: Json[] }>();
  const lwaTokens = new Map<string, number>();
  const rdts = new Map<string, { expiresAt: number; resources: { method: string; path: string; dataElements: string[] }[] }>();
  const pageTokens = new Map<string, { key: string; ids: string[]; offset: number }>();
  const itemTokens = new Map<string, { orderId: string; offset: number }>();
  const buckets = new Map<string, { tokens: number; at: number }>();
  const failures: { operation: FakeOperation; status: number; times: number }[] = [];
  const calls: RecordedCall[] = [];
  const packages: ConfirmedPackage[] = [];
  const listings = new Map<string, FakeListing>();
  let tokensIssued = 0;
  let rdtsIssued = 0;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });

  function handle(req: IncomingMessage, res: ServerResponse, raw: string): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const operation = route(method, url.pathname);
    const call: RecordedCall = {
      operation, method, path: url.pathname, query: Object.fromEntries(url.searchParams),
      accessToken: header(req, 'x-amz-access-token'), body: parseBody(raw, req), status: 0,
    };
    calls.push(call);
    const send = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      call.status = status;
      const rateHeader = operation !== 'unknown' && operation !== 'lwa' && status !== 429
        ? { 'x-amzn-ratelimit-limit': String(options.usagePlans[operation].rate) } : {};
      res.writeHead(status, { 'x-amzn-requestid': randomBytes(8).toString('hex'), ...rateHeader, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    if (operation === 'unknown') return send(404, errors('NotFound', `No route for ${method} ${url.pathname}`));
    const failure = failures.find((f) => f.operation === operation && f.times > 0);
    if (failure) {
      failure.times -= 1;
      return send(failure.status, operation === 'lwa' ? { error: 'server_error' } : errors('InternalFailure', 'We encountered an internal error. Please try again.'));
    }
    if (operation === 'lwa') return tokenGrant(call, send);
    const token = call.accessToken;
    const auth = authorize(token);
    if (!auth.ok) return send(403, errors('Unauthorized', 'Access to requested resource is denied.', auth.details));
    if (!takeToken(operation)) {
      return send(429, errors('QuotaExceeded', 'You exceeded your quota for the requested resource.'),
        options.retryAfterOn429 ? { 'retry-after': String(Math.ceil(1 / options.usagePlans[operation].rate)) } : {});
    }
    const body = call.body;
    switch (operation) {
      case 'createRestrictedDataToken': return createRdt(body, auth.rdt, send);
      case 'getOrders': return getOrders(url.searchParams, auth.rdt, send);
      case 'getOrderItems': return getOrderItems(decodeURIComponent(url.pathname.split('/')[4] ?? ''), url.searchParams, auth.rdt, send);
      case 'confirmShipment': return confirmShipment(decodeURIComponent(url.pathname.split('/')[4] ?? ''), body, send);
      case 'patchListingsItem': return patchListing(url.pathname, url.searchParams, body, send);
    }
  }

  type Send = (status: number, body?: unknown, headers?: Record<string, string>) => void;
  type Rdt = { resources: { method: string; path: string; dataElements: string[] }[] } | undefined;

  function tokenGrant(call: RecordedCall, send: Send): void {
    const form = new URLSearchParams(typeof call.body === 'string' ? call.body : '');
    if (form.get('grant_type') !== 'refresh_token') return send(400, { error: 'unsupported_grant_type', error_description: 'The authorization grant type is not supported' });
    if (form.get('client_id') !== options.clientId || form.get('client_secret') !== options.clientSecret) {
      return send(401, { error: 'invalid_client', error_description: 'Client authentication failed' });
    }
    if (form.get('refresh_token') !== options.refreshToken) {
      return send(400, { error: 'invalid_grant', error_description: 'The request has an invalid grant parameter : refresh_token' });
    }
    const token = `Atza|${randomBytes(24).toString('base64url')}`;
    lwaTokens.set(token, now() + options.tokenTtlSeconds * 1000);
    tokensIssued += 1;
    send(200, { access_token: token, refresh_token: options.refreshToken, token_type: 'bearer', expires_in: options.tokenTtlSeconds });
  }

  function authorize(token: string | undefined): { ok: true; rdt: Rdt } | { ok: false; details: string } {
    if (token === undefined) return { ok: false, details: 'The request is missing the x-amz-access-token header.' };
    const lwa = lwaTokens.get(token);
    if (lwa !== undefined) return lwa > now() ? { ok: true, rdt: undefined } : { ok: false, details: 'The access token you provided has expired.' };
    const rdt = rdts.get(token);
    if (rdt !== undefined) return rdt.expiresAt > now() ? { ok: true, rdt } : { ok: false, details: 'The access token you provided has expired.' };
    return { ok: false, details: 'The access token you provided is revoked, malformed or invalid.' };
  }

  function takeToken(operation: Exclude<FakeOperation, 'lwa'>): boolean {
    if (!options.rateLimits) return true;
    const plan = options.usagePlans[operation];
    const t = now();
    const bucket = buckets.get(operation) ?? { tokens: plan.burst, at: t };
    bucket.tokens = Math.min(plan.burst, bucket.tokens + ((t - bucket.at) / 1000) * plan.rate);
    bucket.at = t;
    buckets.set(operation, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  function createRdt(body: unknown, rdt: Rdt, send: Send): void {
    if (rdt !== undefined) return send(403, errors('Unauthorized', 'Access to requested resource is denied.', 'An RDT cannot create an RDT.'));
    if (!options.restrictedRoles) return send(403, errors('Unauthorized', 'Access to requested resource is denied.', 'The application is not authorized for the restricted roles.'));
    const resources = isJson(body) && Array.isArray(body.restrictedResources) ? body.restrictedResources.filter(isJson) : [];
    if (resources.length === 0 || resources.length > 50 || resources.some((r) => typeof r.method !== 'string' || typeof r.path !== 'string')) {
      return send(400, errors('InvalidRequest', 'Request is missing or has invalid parameters', 'Resource not provided.'));
    }
    const token = `Atz.sprdt|${randomBytes(24).toString('base64url')}`;
    rdts.set(token, {
      expiresAt: now() + 3600_000,
      resources: resources.map((r) => ({ method: String(r.method), path: String(r.path), dataElements: Array.isArray(r.dataElements) ? r.dataElements.map(String) : [] })),
    });
    rdtsIssued += 1;
    send(200, { restrictedDataToken: token, expiresIn: 3600 });
  }

  /** The data elements an RDT releases for `path`; undefined when the RDT does not cover it (403). */
  function released(rdt: Rdt, path: string, generic: string): Set<string> | undefined {
    if (rdt === undefined) return new Set();
    const resource = rdt.resources.find((r) => r.method === 'GET' && (r.path === path || r.path === generic));
    return resource === undefined ? undefined : new Set(resource.dataElements);
  }

  function getOrders(params: URLSearchParams, rdt: Rdt, send: Send): void {
    const elements = released(rdt, '/orders/v0/orders', '/orders/v0/orders');
    if (elements === undefined) return send(403, errors('Unauthorized', 'Access to requested resource is denied.', 'The RDT does not cover this resource.'));
    const marketplaces = params.get('MarketplaceIds');
    if (!marketplaces) return send(400, errors('InvalidInput', "Missing required 'MarketplaceIds'"));
    const filters = ['MarketplaceIds', 'LastUpdatedAfter', 'LastUpdatedBefore', 'MaxResultsPerPage'];
    const key = JSON.stringify(filters.map((name) => params.get(name)));
    const size = Number(params.get('MaxResultsPerPage') ?? '100');
    if (!Number.isInteger(size) || size < 1 || size > 100) return send(400, errors('InvalidInput', 'MaxResultsPerPage must be between 1 and 100'));
    const nextToken = params.get('NextToken');
    let page: { key: string; ids: string[]; offset: number };
    if (nextToken !== null) {
      const saved = pageTokens.get(nextToken);
      if (saved === undefined) return send(400, errors('InvalidInput', 'Invalid NextToken'));
      if (saved.key !== key) return send(400, errors('InvalidInput', 'NextToken does not match the filters of the original request'));
      page = saved;
    } else {
      const after = Date.parse(params.get('LastUpdatedAfter') ?? '');
      if (Number.isNaN(after)) return send(400, errors('InvalidInput', 'Either CreatedAfter or LastUpdatedAfter must be specified as an ISO 8601 date'));
      if (after > now()) return send(400, errors('InvalidInput', 'LastUpdatedAfter must be before the current time'));
      const beforeText = params.get('LastUpdatedBefore');
      const before = beforeText === null ? now() - TWO_MINUTES : Date.parse(beforeText);
      if (Number.isNaN(before) || before < after) return send(400, errors('InvalidInput', 'LastUpdatedBefore must be equal to or after LastUpdatedAfter'));
      if (before > now() - TWO_MINUTES) return send(400, errors('InvalidInput', 'LastUpdatedBefore must be at least 2 minutes before the current time'));
      const wanted = new Set(marketplaces.split(','));
      const ids = [...orders.values()]
        .map(({ order }) => order)
        .filter((order) => wanted.has(String(order.MarketplaceId)))
        .filter((order) => {
          const updated = Date.parse(String(order.LastUpdateDate));
          // Updates become visible two minutes after they happen (getOrders systematic delay).
          return updated >= after && updated <= before && updated <= now() - TWO_MINUTES;
        })
        .sort((a, b) => Date.parse(String(a.LastUpdateDate)) - Date.parse(String(b.LastUpdateDate)) || String(a.AmazonOrderId).localeCompare(String(b.AmazonOrderId)))
        .map((order) => String(order.AmazonOrderId));
      page = { key, ids, offset: 0 };
    }
    const slice = page.ids.slice(page.offset, page.offset + size);
    const payload: Json = { Orders: slice.map((id) => orderView(orders.get(id)!.order, elements)) };
    if (page.offset + size < page.ids.length) {
      const token = randomBytes(16).toString('base64url');
      pageTokens.set(token, { key, ids: page.ids, offset: page.offset + size });
      payload.NextToken = token;
    }
    send(200, { payload });
  }

  function getOrderItems(orderId: string, params: URLSearchParams, rdt: Rdt, send: Send): void {
    const path = `/orders/v0/orders/${orderId}/orderItems`;
    const elements = released(rdt, path, '/orders/v0/orders/{orderId}/orderItems');
    if (elements === undefined) return send(403, errors('Unauthorized', 'Access to requested resource is denied.', 'The RDT does not cover this resource.'));
    const entry = orders.get(orderId);
    if (entry === undefined) return send(404, errors('NotFound', `Order ${orderId} not found`));
    const nextToken = params.get('NextToken');
    let offset = 0;
    if (nextToken !== null) {
      const saved = itemTokens.get(nextToken);
      if (saved === undefined || saved.orderId !== orderId) return send(400, errors('InvalidInput', 'Invalid NextToken'));
      offset = saved.offset;
    }
    const slice = entry.items.slice(offset, offset + options.itemsPerPage).map((item) => {
      const copy = structuredClone(item);
      if (!elements.has('buyerInfo')) delete copy.BuyerInfo;
      return copy;
    });
    const payload: Json = { AmazonOrderId: orderId, OrderItems: slice };
    if (offset + options.itemsPerPage < entry.items.length) {
      const token = randomBytes(16).toString('base64url');
      itemTokens.set(token, { orderId, offset: offset + options.itemsPerPage });
      payload.NextToken = token;
    }
    send(200, { payload });
  }

  function orderView(order: Json, elements: Set<string>): Json {
    const copy = structuredClone(order);
    if (!elements.has('buyerInfo')) delete copy.BuyerInfo;
    const address = isJson(copy.ShippingAddress) ? copy.ShippingAddress : undefined;
    if (address !== undefined && !ADDRESS_STATUSES.has(String(copy.OrderStatus))) delete copy.ShippingAddress;
    else if (address !== undefined && !elements.has('shippingAddress')) {
      copy.ShippingAddress = Object.fromEntries(Object.entries(address).filter(([k]) => ['City', 'StateOrRegion', 'PostalCode', 'CountryCode', 'County', 'District', 'Municipality'].includes(k)));
    }
    return copy;
  }

  function confirmShipment(orderId: string, body: unknown, send: Send): void {
    const entry = orders.get(orderId);
    if (entry === undefined) return send(404, errors('NotFound', `Order ${orderId} not found`));
    const detail = isJson(body) && isJson(body.packageDetail) ? body.packageDetail : undefined;
    if (!isJson(body) || typeof body.marketplaceId !== 'string' || detail === undefined) return send(400, errors('InvalidInput', 'Missing marketplaceId or packageDetail'));
    if (body.marketplaceId !== entry.order.MarketplaceId) return send(400, errors('InvalidInput', 'The marketplaceId does not match the order'));
    const ref = detail.packageReferenceId;
    if (typeof ref !== 'string' || !/^[1-9]\d*$/.test(ref)) return send(400, errors('InvalidInput', 'PackageReferenceId: is invalid, must be a positive numeric value.'));
    for (const field of ['carrierCode', 'trackingNumber', 'shipDate']) {
      if (typeof detail[field] !== 'string' || detail[field] === '') return send(400, errors('InvalidInput', `Missing request parameter: ${field}.`));
    }
    if (detail.carrierCode === 'Other' && typeof detail.carrierName !== 'string') return send(400, errors('InvalidInput', 'carrierName is required when carrierCode is Other.'));
    if (entry.order.FulfillmentChannel === 'AFN') return send(400, errors('InvalidInput', 'Shipment confirmation is not allowed for orders fulfilled by Amazon.'));
    if (!['Unshipped', 'PartiallyShipped', 'Shipped'].includes(String(entry.order.OrderStatus))) {
      return send(400, errors('InvalidInput', `The order status ${String(entry.order.OrderStatus)} does not allow shipment confirmation.`));
    }
    const lines = Array.isArray(detail.orderItems) ? detail.orderItems.filter(isJson) : [];
    if (lines.length === 0) return send(400, errors('InvalidInput', 'Missing request parameter: orderItems.'));
    for (const line of lines) {
      const item = entry.items.find((i) => i.OrderItemId === line.orderItemId);
      if (item === undefined) return send(400, errors('InvalidInput', 'OrderItemId is invalid, please obtain the value through the getOrderItems API or Manage Orders page'));
      if (typeof line.quantity !== 'number' || !Number.isInteger(line.quantity) || line.quantity < 1) return send(400, errors('InvalidInput', 'quantity must be a positive integer.'));
    }
    const existing = packages.find((p) => p.orderId === orderId && p.packageReferenceId === ref);
    if (existing) {
      // "If you need to make an edit to the shipment, submit another confirmShipment operation
      // with the same packageReferenceID" (Confirm the shipment status guide).
      existing.body = body;
      existing.edits += 1;
      return send(204);
    }
    for (const line of lines) {
      const item = entry.items.find((i) => i.OrderItemId === line.orderItemId)!;
      if (Number(item.QuantityShipped ?? 0) + Number(line.quantity) > Number(item.QuantityOrdered)) {
        return send(400, errors('InvalidInput', 'Failed to create package due to not finding a matching package or order already fulfilled.', 'PackageToUpdateNotFound'));
      }
    }
    for (const line of lines) {
      const item = entry.items.find((i) => i.OrderItemId === line.orderItemId)!;
      item.QuantityShipped = Number(item.QuantityShipped ?? 0) + Number(line.quantity);
    }
    packages.push({ orderId, packageReferenceId: ref, body, edits: 0 });
    const allShipped = entry.items.every((i) => Number(i.QuantityShipped ?? 0) >= Number(i.QuantityOrdered));
    entry.order.OrderStatus = allShipped ? 'Shipped' : 'PartiallyShipped';
    entry.order.LastUpdateDate = new Date(now()).toISOString();
    send(204);
  }

  function patchListing(pathname: string, params: URLSearchParams, body: unknown, send: Send): void {
    const [, , , , sellerId, rawSku] = pathname.split('/');
    const sku = decodeURIComponent(rawSku ?? '');
    if (decodeURIComponent(sellerId ?? '') !== options.sellerId) return send(403, errors('Unauthorized', 'Access to requested resource is denied.', 'The sellerId does not match the authorization.'));
    if (!params.get('marketplaceIds')) return send(400, errors('InvalidInput', "Missing required 'marketplaceIds'"));
    if (!isJson(body) || typeof body.productType !== 'string' || !Array.isArray(body.patches) || body.patches.length === 0) {
      return send(400, errors('InvalidInput', 'The request body must have productType and at least one patch'));
    }
    for (const patch of body.patches) {
      if (!isJson(patch) || !['add', 'replace', 'delete'].includes(String(patch.op)) || typeof patch.path !== 'string') {
        return send(400, errors('InvalidInput', 'Each patch needs op (add, replace, delete) and path'));
      }
    }
    const submissionId = randomBytes(16).toString('hex');
    const listing = listings.get(sku);
    if (listing === undefined) {
      return send(200, { sku, status: 'INVALID', submissionId, issues: [{ code: 'LISTING_NOT_FOUND', message: `No listing exists for SKU ${sku}.`, severity: 'ERROR', attributeNames: [] }] });
    }
    listing.submissions.push({ submissionId, body });
    listing.productType = body.productType;
    for (const patch of body.patches.filter(isJson)) {
      const value = Array.isArray(patch.value) ? patch.value.filter(isJson)[0] : undefined;
      if (patch.path === '/attributes/fulfillment_availability' && typeof value?.quantity === 'number') listing.quantity = value.quantity;
    }
    send(200, { sku, status: 'ACCEPTED', submissionId, issues: [] });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    lwaEndpoint: `${url}/auth/o2/token`,
    options,
    calls,
    packages,
    listings,
    get tokensIssued() { return tokensIssued; },
    get rdtsIssued() { return rdtsIssued; },
    seedOrder(order, items) {
      orders.set(String(order.AmazonOrderId), { order: structuredClone(order), items: structuredClone(items) });
    },
    updateOrder(orderId, patch, at) {
      const entry = orders.get(orderId);
      if (entry === undefined) throw new Error(`no order ${orderId}`);
      Object.assign(entry.order, structuredClone(patch), { LastUpdateDate: new Date(at ?? now()).toISOString() });
    },
    order: (orderId) => orders.get(orderId),
    seedListing(sku, productType) {
      listings.set(sku, { sku, ...(productType === undefined ? {} : { productType }), submissions: [] });
    },
    expireTokens() {
      const t = now() - 1;
      for (const token of lwaTokens.keys()) lwaTokens.set(token, t);
      for (const entry of rdts.values()) entry.expiresAt = t;
    },
    failNext(operation, status = 500, times = 1) {
      failures.push({ operation, status, times });
    },
    callsOf: (operation) => calls.filter((call) => call.operation === operation),
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((error) => (error ? reject(error) : resolve()));
    }),
  };
}

function route(method: string, path: string): FakeOperation | 'unknown' {
  if (method === 'POST' && path === '/auth/o2/token') return 'lwa';
  if (method === 'POST' && path === '/tokens/2021-03-01/restrictedDataToken') return 'createRestrictedDataToken';
  if (method === 'GET' && path === '/orders/v0/orders') return 'getOrders';
  if (method === 'GET' && /^\/orders\/v0\/orders\/[^/]+\/orderItems$/.test(path)) return 'getOrderItems';
  if (method === 'POST' && /^\/orders\/v0\/orders\/[^/]+\/shipmentConfirmation$/.test(path)) return 'confirmShipment';
  if (method === 'PATCH' && /^\/listings\/2021-08-01\/items\/[^/]+\/[^/]+$/.test(path)) return 'patchListingsItem';
  return 'unknown';
}

function errors(code: string, message: string, details = ''): { errors: { code: string; message: string; details: string }[] } {
  return { errors: [{ code, message, details }] };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseBody(raw: string, req: IncomingMessage): unknown {
  if (raw === '') return undefined;
  if ((req.headers['content-type'] ?? '').includes('json')) {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return raw;
    }
  }
  return raw;
}

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
