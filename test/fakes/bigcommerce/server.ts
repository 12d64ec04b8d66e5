/**
 * A local BigCommerce store API for tests and benchmarks: the v2 Orders endpoints crossdock
 * calls (orders, order products, shipping addresses, coupons, shipments) with page/limit
 * pagination and 204 for an empty page, v3 absolute inventory adjustments, `X-Auth-Token`
 * authentication, the `X-Rate-Limit-*` headers with a per-window quota answered 429 when
 * spent, injectable 5xx, and records of what it received.
 *
 *   const fake = await startBigCommerceFake();
 *   fake.seedOrder(document);                       // { order, products, shippingAddresses, coupons }
 *   settings.apiBaseUrl = fake.url; settings.accessToken = fake.accessToken;
 *   fake.failNext(2, 503);                          // the next two requests fail
 *   fake.state.shipments / fake.state.adjustments   // what crossdock created
 *   const delivery = fake.webhookDelivery('store/order/updated', 250, secret);
 *   await fake.close();
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Json = Record<string, unknown>;

export interface BigCommerceFakeOptions {
  /** @default abc123 */
  storeHash?: string;
  /** The token `X-Auth-Token` must carry. @default test-token */
  accessToken?: string;
  /** Requests allowed per window before 429. @default 450 (Pro plan: 450 per 30 s) */
  quota?: number;
  /** @default 30000 */
  windowMs?: number;
  /** Largest v2 `limit`. @default 250 */
  maxLimit?: number;
  /** SKUs the catalog knows (inventory adjustments of other SKUs are refused with 422). */
  skus?: readonly string[];
  /** Inventory location ids that exist. @default [1] */
  locations?: readonly number[];
  /** Milliseconds since the epoch. @default Date.now */
  now?: () => number;
}

export interface FakeOrder {
  order: Json;
  products: Json[];
  shippingAddresses: Json[];
  coupons: Json[];
  shipments: Json[];
}

export interface RecordedCall {
  method: string;
  /** Path below the store base URL, without the query (`/v2/orders/250`). */
  path: string;
  query: Record<string, string>;
  status: number;
}

export interface BigCommerceFakeState {
  orders: Map<number, FakeOrder>;
  catalog: Set<string>;
  /** `${location_id}|${sku}` → quantity, as set by absolute adjustments. */
  inventory: Map<string, number>;
  /** Every accepted absolute adjustment request body. */
  adjustments: { reason?: string; items: Json[] }[];
  /** Every shipment created through the API, with its order id. */
  shipments: Json[];
  calls: RecordedCall[];
}

export interface BigCommerceFake {
  /** Store base URL (the `https://api.bigcommerce.com/stores/{hash}` of the fake). */
  readonly url: string;
  readonly storeHash: string;
  readonly accessToken: string;
  readonly state: BigCommerceFakeState;
  /** Adds or replaces an order (deep-copied). Sub-resources default to []. */
  seedOrder(document: { order: Json; products?: Json[]; shippingAddresses?: Json[]; coupons?: Json[]; shipments?: Json[] }): void;
  /** Changes an order's fields and stamps `date_modified` (RFC 2822) with `at` (default now). */
  updateOrder(id: number, patch: Json, at?: number): void;
  /** Removes an order: it answers 404 afterwards. */
  deleteOrder(id: number): void;
  /** The next `count` requests answer `status` (default 500) with a v2 error body. */
  failNext(count: number, status?: number): void;
  /** Changes the rate-limit quota; the current window restarts. */
  setQuota(quota: number, windowMs?: number): void;
  /** A webhook delivery as BigCommerce sends it, with the shared-secret custom header. */
  webhookDelivery(scope: string, orderId: number, secret: string, options?: { header?: string; producer?: string; createdAt?: number }): {
    headers: Record<string, string>;
    rawBody: Buffer;
    payload: Json;
  };
  close(): Promise<void>;
}

const V3_ERROR_TYPE = 'https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes';

export async function startBigCommerceFake(options: BigCommerceFakeOptions = {}): Promise<BigCommerceFake> {
  const storeHash = options.storeHash ?? 'abc123';
  const accessToken = options.accessToken ?? 'test-token';
  const maxLimit = options.maxLimit ?? 250;
  const now = options.now ?? Date.now;
  const locations = new Set(options.locations ?? [1]);
  const state: BigCommerceFakeState = {
    orders: new Map(),
    catalog: new Set(options.skus ?? []),
    inventory: new Map(),
    adjustments: [],
    shipments: [],
    calls: [],
  };
  const rate = { quota: options.quota ?? 450, windowMs: options.windowMs ?? 30_000, windowStart: now(), used: 0 };
  const failures: number[] = [];
  let nextShipmentId = 1;
  const prefix = `/stores/${storeHash}`;

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      send(res, 500, [{ status: 500, message: error instanceof Error ? error.message : String(error) }]);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname;
    const query = Object.fromEntries(url.searchParams);
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    const call: RecordedCall = { method, path, query, status: 0 };
    state.calls.push(call);
    const reply = (status: number, payload: unknown, contentType?: string): void => {
      call.status = status;
      send(res, status, payload, contentType);
    };
    const v3 = path.startsWith('/v3/');

    if (req.headers['x-auth-token'] !== accessToken) {
      // Authentication is checked before the quota is spent.
      return v3
        ? reply(401, { status: 401, title: 'Unauthorized', type: V3_ERROR_TYPE, errors: {} }, 'application/problem+json')
        : reply(401, [{ status: 401, message: 'You are not authorized to access this resource.' }]);
    }
    const t = now();
    if (t - rate.windowStart >= rate.windowMs) {
      rate.windowStart = t;
      rate.used = 0;
    }
    const resetMs = Math.max(0, rate.windowStart + rate.windowMs - t);
    if (rate.used >= rate.quota) {
      setRateHeaders(res, 0, rate.quota, rate.windowMs, resetMs);
      return reply(429, v3 ? { status: 429, title: 'Too many requests', type: V3_ERROR_TYPE, errors: {} } : [{ status: 429, message: 'Too many requests' }]);
    }
    rate.used += 1;
    setRateHeaders(res, rate.quota - rate.used, rate.quota, rate.windowMs, resetMs);
    const failure = failures.shift();
    if (failure !== undefined) return reply(failure, [{ status: failure, message: 'Injected failure' }]);

    let match: RegExpExecArray | null;
    if (method === 'GET' && path === '/v2/orders') return listOrders(query, reply);
    if (method === 'GET' && (match = /^\/v2\/orders\/(\d+)$/.exec(path))) {
      const order = state.orders.get(Number(match[1]));
      return order ? reply(200, order.order) : notFound(reply);
    }
    if ((match = /^\/v2\/orders\/(\d+)\/(products|shipping_addresses|coupons|shipments)$/.exec(path))) {
      const order = state.orders.get(Number(match[1]));
      if (!order) return notFound(reply);
      const resource = match[2]!;
      if (method === 'GET') {
        const rows = resource === 'products' ? order.products : resource === 'shipping_addresses' ? order.shippingAddresses : resource === 'coupons' ? order.coupons : order.shipments;
        return paginate(rows, query, reply);
      }
      if (method === 'POST' && resource === 'shipments') return createShipment(order, body, reply);
    }
    if (method === 'PUT' && path === '/v3/inventory/adjustments/absolute') return absoluteAdjustment(body, reply);
    return notFound(reply);
  }

  type Reply = (status: number, payload: unknown, contentType?: string) => void;

  function notFound(reply: Reply): void {
    reply(404, [{ status: 404, message: 'The requested resource was not found.' }]);
  }

  function pageOf(query: Record<string, string>, reply: Reply): { page: number; limit: number } | undefined {
    const page = query.page === undefined ? 1 : Number(query.page);
    const limit = query.limit === undefined ? 50 : Number(query.limit);
    if (!Number.isInteger(page) || page < 1 || !Number.isInteger(limit) || limit < 1 || limit > maxLimit) {
      reply(400, [{ status: 400, message: `The field 'limit' must be between 1 and ${maxLimit}; 'page' must be 1 or more.` }]);
      return undefined;
    }
    return { page, limit };
  }

  function paginate(rows: readonly Json[], query: Record<string, string>, reply: Reply): void {
    const paging = pageOf(query, reply);
    if (!paging) return;
    const slice = rows.slice((paging.page - 1) * paging.limit, paging.page * paging.limit);
    // v2 answers an empty page with 204 No Content.
    if (slice.length === 0) return reply(204, undefined);
    reply(200, slice);
  }

  function listOrders(query: Record<string, string>, reply: Reply): void {
    let orders = [...state.orders.values()].map((o) => o.order);
    for (const [param, field, keep] of [
      ['min_date_modified', 'date_modified', (a: number, b: number) => a >= b],
      ['max_date_modified', 'date_modified', (a: number, b: number) => a <= b],
      ['min_date_created', 'date_created', (a: number, b: number) => a >= b],
    ] as const) {
      if (query[param] === undefined) continue;
      const bound = Date.parse(query[param]);
      if (Number.isNaN(bound)) return reply(400, [{ status: 400, message: `The field '${param}' is invalid.` }]);
      orders = orders.filter((o) => keep(Date.parse(String(o[field])), bound));
    }
    const [sortField = 'id', direction = 'asc'] = (query.sort ?? 'id').split(':');
    const key = (o: Json): number => (sortField === 'date_modified' || sortField === 'date_created' ? Date.parse(String(o[sortField])) : Number(o[sortField]));
    orders.sort((a, b) => (key(a) - key(b) || Number(a.id) - Number(b.id)) * (direction === 'desc' ? -1 : 1));
    paginate(orders, query, reply);
  }

  function createShipment(order: FakeOrder, body: unknown, reply: Reply): void {
    const bad = (message: string) => reply(400, [{ status: 400, message }]);
    if (!isJson(body)) return bad('The request body is not a JSON object.');
    const address = order.shippingAddresses.find((a) => a.id === body.order_address_id);
    if (!address) return bad(`The field 'order_address_id' is invalid.`);
    if (!Array.isArray(body.items) || body.items.length === 0) return bad(`The field 'items' is required.`);
    if (typeof body.tracking_number === 'string' && body.tracking_number.length > 50) return bad(`The field 'tracking_number' is too long.`);
    const planned: { product: Json; quantity: number }[] = [];
    for (const item of body.items) {
      const product = isJson(item) ? order.products.find((p) => p.id === item.order_product_id) : undefined;
      const quantity = isJson(item) ? item.quantity : undefined;
      if (!product || typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1) return bad(`The field 'items' contains an invalid order product.`);
      const left = Number(product.quantity) - Number(product.quantity_refunded ?? 0) - Number(product.quantity_shipped ?? 0);
      if (quantity > left) return bad(`Order product ${String(product.id)} has only ${left} left to ship.`);
      planned.push({ product, quantity });
    }
    for (const { product, quantity } of planned) {
      product.quantity_shipped = Number(product.quantity_shipped ?? 0) + quantity;
      address.items_shipped = Number(address.items_shipped ?? 0) + quantity;
      order.order.items_shipped = Number(order.order.items_shipped ?? 0) + quantity;
    }
    const allShipped = order.products.every((p) => Number(p.quantity_shipped ?? 0) >= Number(p.quantity) - Number(p.quantity_refunded ?? 0));
    const stamp = rfc2822(now());
    Object.assign(order.order, { status_id: allShipped ? 2 : 3, status: allShipped ? 'Shipped' : 'Partially Shipped', date_modified: stamp, ...(allShipped ? { date_shipped: stamp } : {}) });
    const shipment: Json = {
      id: nextShipmentId++,
      order_id: order.order.id,
      customer_id: order.order.customer_id,
      order_address_id: body.order_address_id,
      date_created: stamp,
      tracking_number: body.tracking_number ?? '',
      merchant_shipping_cost: '0.0000',
      shipping_method: body.shipping_method ?? '',
      comments: body.comments ?? '',
      shipping_provider: body.shipping_provider ?? '',
      tracking_carrier: body.tracking_carrier ?? '',
      tracking_link: body.tracking_link ?? '',
      billing_address: order.order.billing_address,
      shipping_address: address,
      items: planned.map(({ product, quantity }) => ({ order_product_id: product.id, product_id: product.product_id, quantity })),
      shipping_provider_display_name: String(body.shipping_provider ?? '').toUpperCase(),
      generated_tracking_link: '',
    };
    order.shipments.push(shipment);
    state.shipments.push(structuredClone(shipment));
    reply(201, shipment);
  }

  function absoluteAdjustment(body: unknown, reply: Reply): void {
    const problem = (title: string, errors: Json = {}) => reply(422, { status: 422, title, type: V3_ERROR_TYPE, errors }, 'application/problem+json');
    if (!isJson(body) || !Array.isArray(body.items)) return problem('Payload contains invalid fields', { items: 'items is required' });
    if (body.items.length > 2000) return problem('Limit of 2000 items for payload length exceeded');
    const unknown: { index: number; sku: string }[] = [];
    for (const [index, item] of body.items.entries()) {
      if (!isJson(item) || typeof item.sku !== 'string' || !Number.isInteger(item.quantity) || Number(item.quantity) < 0 || !locations.has(Number(item.location_id))) {
        return problem('Payload contains invalid fields', { [`items.${index}`]: 'location_id, sku and a whole quantity are required' });
      }
      if (!state.catalog.has(item.sku)) unknown.push({ index, sku: item.sku });
    }
    // The whole request is refused when an item is unknown; its identity is named in the title.
    if (unknown.length > 0) return problem(`Items with identity: [${unknown.map((u) => `sku ${u.sku}`).join(', ')}] were not found`);
    for (const item of body.items as Json[]) state.inventory.set(`${String(item.location_id)}|${String(item.sku)}`, Number(item.quantity));
    state.adjustments.push(structuredClone({ ...(typeof body.reason === 'string' ? { reason: body.reason } : {}), items: body.items as Json[] }));
    reply(200, { transaction_id: randomUUID() });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    storeHash,
    accessToken,
    state,
    seedOrder(document) {
      const copy = structuredClone(document);
      state.orders.set(Number(copy.order.id), {
        order: copy.order,
        products: copy.products ?? [],
        shippingAddresses: copy.shippingAddresses ?? [],
        coupons: copy.coupons ?? [],
        shipments: copy.shipments ?? [],
      });
    },
    updateOrder(id, patch, at) {
      const order = state.orders.get(id);
      if (!order) throw new Error(`no order ${id}`);
      Object.assign(order.order, structuredClone(patch), { date_modified: rfc2822(at ?? now()) });
    },
    deleteOrder(id) {
      state.orders.delete(id);
    },
    failNext(count, status = 500) {
      for (let i = 0; i < count; i++) failures.push(status);
    },
    setQuota(quota, windowMs) {
      rate.quota = quota;
      if (windowMs !== undefined) rate.windowMs = windowMs;
      rate.windowStart = now();
      rate.used = 0;
    },
    webhookDelivery(scope, orderId, secret, opts = {}) {
      const unsigned = { scope, store_id: '1025646', data: { type: 'order', id: orderId }, created_at: opts.createdAt ?? Math.floor(now() / 1000), producer: opts.producer ?? `stores/${storeHash}` };
      // BigCommerce's hash is a SHA-1 of the payload data.
      const payload = { ...unsigned, hash: createHash('sha1').update(JSON.stringify(unsigned)).digest('hex') };
      return {
        headers: { 'content-type': 'application/json', [(opts.header ?? 'x-crossdock-webhook-secret').toLowerCase()]: secret },
        rawBody: Buffer.from(JSON.stringify(payload)),
        payload,
      };
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** RFC 2822 in UTC as the v2 API writes it (`Tue, 05 Mar 2019 21:40:11 +0000`). */
export function rfc2822(epochMs: number): string {
  return new Date(epochMs).toUTCString().replace(/GMT$/, '+0000');
}

function setRateHeaders(res: ServerResponse, left: number, quota: number, windowMs: number, resetMs: number): void {
  res.setHeader('X-Rate-Limit-Requests-Left', String(left));
  res.setHeader('X-Rate-Limit-Requests-Quota', String(quota));
  res.setHeader('X-Rate-Limit-Time-Window-Ms', String(windowMs));
  res.setHeader('X-Rate-Limit-Time-Reset-Ms', String(resetMs));
}

function send(res: ServerResponse, status: number, payload: unknown, contentType = 'application/json'): void {
  if (payload === undefined || status === 204) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { 'content-type': contentType }).end(JSON.stringify(payload));
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
