import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local WooCommerce store speaking the parts of the REST API v3 crossdock uses, as documented
 * (https://woocommerce.github.io/woocommerce-rest-api-docs/) and as WooCommerce's controllers
 * behave: Basic auth (401 `woocommerce_rest_authentication_error`), WP_Error-shaped errors
 * (`{ code, message, data: { status } }`), `X-WP-Total` / `X-WP-TotalPages` pagination with
 * `per_page` ≤ 100, `modified_after` (exclusive, whole seconds, UTC with `dates_are_gmt`),
 * `orderby=modified`, trashed orders left out of `status=any`, order notes, products by SKU
 * (variations included), and the products / variations batch endpoints (≤ 100 items).
 *
 * Hosts throttle with 429 + `Retry-After`: a token bucket does the same here. `failNext(n)`
 * answers the next n requests with a 5xx. Everything received is recorded.
 *
 * API: `const store = await startWooCommerceFake({ consumerKey, consumerSecret })`, then
 * `store.url` (the site root: give it as `baseUrl`), `store.seedOrder(order)`,
 * `store.seedRefunds(orderId, refunds)`, `store.seedProduct(product)`, `store.touchOrder(id, patch)`,
 * `store.state` (orders, notes, products, calls, notesCreated, statusChanges, stockUpdates),
 * `store.failNext(count, status)`, `store.setBucket({ capacity, refillPerSecond })`,
 * `store.webhookDelivery(topic, payload)` and `store.pingDelivery(webhookId)`, `store.close()`.
 */

type Json = Record<string, unknown>;

export interface WooFakeOptions {
  consumerKey?: string;
  consumerSecret?: string;
  /** Secret the fake signs webhook deliveries with. @default consumerSecret */
  webhookSecret?: string;
  /** Token bucket in front of every request. @default effectively unlimited */
  bucket?: { capacity: number; refillPerSecond: number };
  /** Seconds sent in `Retry-After` with a 429. @default 1 */
  retryAfterSeconds?: number;
  /**
   * Also advertise the bucket as IETF `RateLimit-Limit` / `RateLimit-Remaining` /
   * `RateLimit-Reset` (seconds) headers, as some hosts and WooCommerce's Store API do. @default false
   */
  advertiseBudget?: boolean;
}

export interface RecordedCall {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
}

export interface WooFakeState {
  orders: Map<number, Json>;
  refunds: Map<number, Json[]>;
  notes: Map<number, Json[]>;
  /** Products and variations by id (a variation has `parent_id`). */
  products: Map<number, Json>;
  calls: RecordedCall[];
  notesCreated: { orderId: number; note: string; customer_note: boolean }[];
  statusChanges: { orderId: number; from: unknown; to: unknown }[];
  stockUpdates: { id: number; parentId?: number; manage_stock: unknown; stock_quantity: unknown }[];
}

export interface WebhookDeliveryRequest {
  headers: Record<string, string>;
  rawBody: Buffer;
}

export interface WooFake {
  /** The site root, e.g. http://127.0.0.1:41234 (the API is under /wp-json/wc/v3). */
  url: string;
  state: WooFakeState;
  seedOrder(order: Json): void;
  seedRefunds(orderId: number, refunds: Json[]): void;
  seedProduct(product: Json): void;
  /** Changes an order as the shop would, bumping `date_modified_gmt` to now (or `patch.date_modified_gmt`). */
  touchOrder(id: number, patch?: Json): Json;
  failNext(count: number, status?: number): void;
  setBucket(bucket: { capacity: number; refillPerSecond: number }): void;
  /** A delivery as WooCommerce's WC_Webhook::deliver() sends it, signed with the webhook secret. */
  webhookDelivery(topic: string, payload: unknown, options?: { secret?: string; webhookId?: number; at?: number }): WebhookDeliveryRequest;
  /** The unsigned `webhook_id=<id>` form post WooCommerce sends when a webhook is created. */
  pingDelivery(webhookId: number): WebhookDeliveryRequest;
  close(): Promise<void>;
}

const API = '/wp-json/wc/v3';

export async function startWooCommerceFake(options: WooFakeOptions = {}): Promise<WooFake> {
  const consumerKey = options.consumerKey ?? 'ck_test';
  const consumerSecret = options.consumerSecret ?? 'cs_test';
  const webhookSecret = options.webhookSecret ?? consumerSecret;
  const state: WooFakeState = {
    orders: new Map(), refunds: new Map(), notes: new Map(), products: new Map(),
    calls: [], notesCreated: [], statusChanges: [], stockUpdates: [],
  };
  let bucket = options.bucket ?? { capacity: 1_000_000, refillPerSecond: 1_000_000 };
  let tokens = bucket.capacity;
  let refilledAt = Date.now();
  let failures = { count: 0, status: 503 };
  let nextNoteId = 9000;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        body = text;
      }
      const query = Object.fromEntries(url.searchParams);
      const answer = handle(req, url, body);
      if (options.advertiseBudget) {
        answer.headers = {
          ...answer.headers,
          'ratelimit-limit': String(bucket.capacity),
          'ratelimit-remaining': String(Math.floor(tokens)),
          'ratelimit-reset': String(Math.max(1, Math.ceil((1 - (tokens % 1)) / bucket.refillPerSecond))),
        };
      }
      state.calls.push({ method: req.method ?? 'GET', path: url.pathname, query, body, status: answer.status });
      send(res, answer);
    });
  });

  interface Answer { status: number; body: unknown; headers?: Record<string, string> }
  const error = (status: number, code: string, message: string, headers?: Record<string, string>): Answer =>
    ({ status, body: { code, message, data: { status } }, ...(headers ? { headers } : {}) });

  function takeToken(): boolean {
    const now = Date.now();
    tokens = Math.min(bucket.capacity, tokens + ((now - refilledAt) / 1000) * bucket.refillPerSecond);
    refilledAt = now;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  }

  function authorized(req: IncomingMessage, url: URL): Answer | undefined {
    const header = req.headers.authorization;
    let key = url.searchParams.get('consumer_key');
    let secret = url.searchParams.get('consumer_secret');
    if (header?.startsWith('Basic ')) {
      const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      key = decoded.slice(0, colon);
      secret = decoded.slice(colon + 1);
    }
    if (!key) return error(401, 'woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.');
    if (key !== consumerKey) return error(401, 'woocommerce_rest_authentication_error', 'Consumer key is invalid.');
    if (secret !== consumerSecret) return error(401, 'woocommerce_rest_authentication_error', 'Consumer secret is invalid.');
    return undefined;
  }

  function handle(req: IncomingMessage, url: URL, body: unknown): Answer {
    if (!takeToken()) {
      return error(429, 'woocommerce_rest_too_many_requests', 'Too many requests. Please wait and try again.', { 'retry-after': String(options.retryAfterSeconds ?? 1) });
    }
    if (failures.count > 0) {
      failures.count -= 1;
      return error(failures.status, 'internal_server_error', 'There has been a critical error on this website.');
    }
    if (!url.pathname.startsWith(API)) return error(404, 'rest_no_route', 'No route was found matching the URL and request method.');
    const denied = authorized(req, url);
    if (denied) return denied;
    const path = url.pathname.slice(API.length);
    const method = req.method ?? 'GET';
    let m: RegExpExecArray | null;
    if (method === 'GET' && path === '/orders') return listOrders(url.searchParams);
    if ((m = /^\/orders\/(\d+)$/.exec(path))) {
      const order = state.orders.get(Number(m[1]));
      if (method === 'GET') return order ? { status: 200, body: order } : error(404, 'woocommerce_rest_shop_order_invalid_id', 'Invalid ID.');
      if (method === 'PUT' || method === 'POST') {
        // WC_REST_CRUD_Controller::update_item answers a missing id with 400.
        if (!order) return error(400, 'woocommerce_rest_shop_order_invalid_id', 'Invalid ID.');
        const patch = isJson(body) ? body : {};
        if ('status' in patch && patch.status !== order.status) state.statusChanges.push({ orderId: Number(m[1]), from: order.status, to: patch.status });
        return { status: 200, body: touch(Number(m[1]), patch) };
      }
    }
    if ((m = /^\/orders\/(\d+)\/notes$/.exec(path))) {
      const id = Number(m[1]);
      if (!state.orders.has(id)) return error(404, 'woocommerce_rest_order_invalid_id', 'Invalid order ID.');
      const notes = state.notes.get(id) ?? [];
      if (method === 'GET') return { status: 200, body: [...notes].reverse() };
      if (method === 'POST') {
        const input = isJson(body) ? body : {};
        if (typeof input.note !== 'string' || input.note === '') return error(400, 'rest_missing_callback_param', 'Missing parameter(s): note');
        const now = wpDate(Date.now());
        const note = { id: nextNoteId++, author: 'WooCommerce', date_created: now, date_created_gmt: now, note: input.note, customer_note: input.customer_note === true };
        notes.push(note);
        state.notes.set(id, notes);
        state.notesCreated.push({ orderId: id, note: input.note, customer_note: input.customer_note === true });
        return { status: 201, body: note };
      }
    }
    if (method === 'GET' && (m = /^\/orders\/(\d+)\/refunds$/.exec(path))) {
      const id = Number(m[1]);
      if (!state.orders.has(id)) return error(404, 'woocommerce_rest_order_invalid_id', 'Invalid order ID.');
      return paginate(state.refunds.get(id) ?? [], url.searchParams);
    }
    if (method === 'GET' && path === '/products') return listProducts(url.searchParams);
    if (method === 'POST' && path === '/products/batch') return batch(body, undefined);
    if (method === 'POST' && (m = /^\/products\/(\d+)\/variations\/batch$/.exec(path))) return batch(body, Number(m[1]));
    return error(404, 'rest_no_route', 'No route was found matching the URL and request method.');
  }

  function listOrders(params: URLSearchParams): Answer {
    let orders = [...state.orders.values()];
    const status = params.get('status') ?? 'any';
    // post_status "any" leaves out statuses excluded from search: trash.
    orders = orders.filter((o) => (status === 'any' ? o.status !== 'trash' : o.status === status));
    const modifiedAfter = params.get('modified_after');
    if (modifiedAfter) {
      const after = parseWpDate(modifiedAfter, params.get('dates_are_gmt') === 'true');
      if (after === undefined) return error(400, 'rest_invalid_param', 'Invalid parameter(s): modified_after');
      orders = orders.filter((o) => (parseWpDate(String(o.date_modified_gmt), true) ?? 0) > after);
    }
    const orderby = params.get('orderby') ?? 'date';
    if (!['date', 'id', 'include', 'title', 'slug', 'modified'].includes(orderby)) return error(400, 'rest_invalid_param', 'Invalid parameter(s): orderby');
    const field = orderby === 'modified' ? 'date_modified_gmt' : orderby === 'id' ? 'id' : 'date_created_gmt';
    // WooCommerce orders by "date ID" / "modified ID" so ties keep a stable order.
    orders.sort((a, b) => compare(a[field], b[field]) || compare(a.id, b.id));
    if ((params.get('order') ?? 'desc') === 'desc') orders.reverse();
    return paginate(orders, params);
  }

  function listProducts(params: URLSearchParams): Answer {
    let products = [...state.products.values()];
    const sku = params.get('sku');
    if (sku) {
      const skus = sku.split(',');
      if (skus.length > 1) skus.push(sku);
      products = products.filter((p) => skus.includes(String(p.sku)));
    } else {
      products = products.filter((p) => !p.parent_id);
    }
    return paginate(products.sort((a, b) => compare(a.id, b.id)), params);
  }

  function batch(body: unknown, parentId: number | undefined): Answer {
    const update = isJson(body) && Array.isArray(body.update) ? body.update : [];
    if (update.length > 100) return error(413, 'woocommerce_rest_request_entity_too_large', 'Unable to accept more than 100 items for this request.');
    const results = update.map((item: unknown) => {
      const input = isJson(item) ? item : {};
      const product = state.products.get(Number(input.id));
      const belongs = product && (parentId === undefined ? !product.parent_id : product.parent_id === parentId);
      if (!product || !belongs) {
        const code = parentId === undefined ? 'woocommerce_rest_product_invalid_id' : 'woocommerce_rest_product_variation_invalid_id';
        return { id: Number(input.id), error: { code, message: 'Invalid ID.', data: { status: 400 } } };
      }
      if ('manage_stock' in input) product.manage_stock = input.manage_stock;
      if ('stock_quantity' in input) product.stock_quantity = input.stock_quantity;
      state.stockUpdates.push({ id: Number(product.id), ...(parentId === undefined ? {} : { parentId }), manage_stock: input.manage_stock, stock_quantity: input.stock_quantity });
      return product;
    });
    return { status: 200, body: { update: results } };
  }

  function paginate(items: Json[], params: URLSearchParams): Answer {
    const perPage = Number(params.get('per_page') ?? 10);
    const page = Number(params.get('page') ?? 1);
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) return error(400, 'rest_invalid_param', 'Invalid parameter(s): per_page');
    if (!Number.isInteger(page) || page < 1) return error(400, 'rest_invalid_param', 'Invalid parameter(s): page');
    const totalPages = Math.ceil(items.length / perPage);
    return {
      status: 200,
      body: items.slice((page - 1) * perPage, page * perPage),
      headers: { 'x-wp-total': String(items.length), 'x-wp-totalpages': String(totalPages) },
    };
  }

  function touch(id: number, patch: Json = {}): Json {
    const order = state.orders.get(id);
    if (!order) throw new Error(`no order ${id}`);
    const now = wpDate(Date.now());
    Object.assign(order, { date_modified: now, date_modified_gmt: now }, patch);
    return order;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    state,
    seedOrder: (order) => void state.orders.set(Number(order.id), structuredClone(order)),
    seedRefunds: (orderId, refunds) => void state.refunds.set(orderId, structuredClone(refunds)),
    seedProduct: (product) => void state.products.set(Number(product.id), structuredClone(product)),
    touchOrder: touch,
    failNext(count, status = 503) {
      failures = { count, status };
    },
    setBucket(next) {
      bucket = next;
      tokens = next.capacity;
      refilledAt = Date.now();
    },
    webhookDelivery(topic, payload, deliveryOptions = {}) {
      const rawBody = Buffer.from(JSON.stringify(payload), 'utf8');
      const webhookId = deliveryOptions.webhookId ?? 1;
      const [resource = '', event = ''] = topic.split('.');
      // WC_Webhook::get_new_delivery_id(): wp_hash( webhook id . current second ).
      const deliveryId = createHash('md5').update(`${webhookId}${Math.floor((deliveryOptions.at ?? Date.now()) / 1000)}`).digest('hex');
      return {
        rawBody,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'WooCommerce/9.0.0 Hookshot (WordPress/6.5.0)',
          'x-wc-webhook-source': 'https://example.com/',
          'x-wc-webhook-topic': topic,
          'x-wc-webhook-resource': resource,
          'x-wc-webhook-event': event,
          'x-wc-webhook-signature': createHmac('sha256', deliveryOptions.secret ?? webhookSecret).update(rawBody).digest('base64'),
          'x-wc-webhook-id': String(webhookId),
          'x-wc-webhook-delivery-id': deliveryId,
        },
      };
    },
    pingDelivery(webhookId) {
      return {
        rawBody: Buffer.from(`webhook_id=${webhookId}`, 'utf8'),
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'WooCommerce/9.0.0 Hookshot (WordPress/6.5.0)' },
      };
    },
    close: () => new Promise<void>((resolve, reject) => {
      if (!server.listening) return resolve();
      server.closeAllConnections();
      server.close((err) => (err ? reject(err) : resolve()));
    }),
  };
}

function send(res: ServerResponse, answer: { status: number; body: unknown; headers?: Record<string, string> }): void {
  res.writeHead(answer.status, { 'content-type': 'application/json; charset=UTF-8', ...answer.headers });
  res.end(JSON.stringify(answer.body));
}

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a ?? '').localeCompare(String(b ?? ''));
}

/** WooCommerce dates: "2017-03-22T19:28:02", no zone (GMT fields are UTC). */
export function wpDate(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().slice(0, 19);
}

function parseWpDate(value: string, gmt: boolean): number | undefined {
  // The fake's site timezone is UTC, so local and GMT dates agree; a zone in the value wins.
  void gmt;
  const text = /([zZ]|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value}Z`;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.floor(at / 1000) * 1000;
}
