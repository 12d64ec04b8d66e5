/**
 * A local Adobe Commerce (Magento 2) REST server for tests, end-to-end runs and benchmarks.
 * Speaks the parts of the REST API crossdock calls, under `<url>` = `http://127.0.0.1:<port>/rest/default`:
 *
 * - `GET  /V1/orders`                 searchCriteria filters (eq, neq, gt, gteq, lt, lteq, in, like),
 *                                     sortOrders, pageSize, currentPage; a currentPage past the
 *                                     end answers the LAST page again, as Magento does
 * - `GET  /V1/orders/:id`
 * - `GET  /V1/shipments`              searchCriteria over the shipments (e.g. order_id eq)
 * - `POST /V1/order/:id/ship`         salesShipOrderV1: items, notify, appendComment, comment, tracks,
 *                                     arguments.extension_attributes.source_code → the shipment id
 * - `POST /V1/inventory/source-items` MSI SourceItemsSave: all or nothing
 *
 * Every request needs `Authorization: Bearer <token>`, else 401 with Magento's body
 * `{"message":"The consumer isn't authorized to access %resources.","parameters":{"resources":…}}`.
 * Errors use Magento's `{ message, parameters }` shape. Everything received is recorded.
 *
 * Knobs (`fake.knobs`, change them at any time):
 * - `throttle(n, retryAfterSeconds)`: the next n requests get 429 with `Retry-After` (a CDN in front of the store)
 * - `bucket`: `{ capacity, refillPerSecond }` token bucket; an empty bucket answers 429 with `Retry-After`
 * - `fail(n, status = 503)`: the next n requests get that 5xx (nothing is carried out)
 * - `dropShipResponses`: the next n ship requests are carried out, then the connection is destroyed
 * - `maxInputItems`: Web API input limit; longer `sourceItems` arrays get "Maximum items of type %type is %max"
 * - `unknownSkus`: source items for these SKUs are refused (`anonymousSkuErrors`: with "Could not save Source Item", naming none)
 * - `sources`: the MSI source codes that exist (default `default`)
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Json = Record<string, unknown>;

export interface RecordedCall {
  method: string;
  /** Path below the REST root, e.g. `/V1/orders`. */
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
}

export interface SourceItemRecord {
  sku: string;
  source_code: string;
  quantity: number;
  status: number;
}

export interface AdobeCommerceFakeKnobs {
  throttle(count: number, retryAfterSeconds?: number): void;
  fail(count: number, status?: number): void;
  bucket: { capacity: number; refillPerSecond: number } | undefined;
  dropShipResponses: number;
  maxInputItems: number | undefined;
  unknownSkus: Set<string>;
  anonymousSkuErrors: boolean;
  sources: Set<string>;
}

export interface AdobeCommerceFakeOptions {
  token?: string;
  /** Store code in the REST root. @default default */
  storeCode?: string;
  orders?: Json[];
  /** @default Date.now */
  now?: () => number;
}

export interface AdobeCommerceFake {
  /** The store-code REST root, the connector's `baseUrl`. */
  url: string;
  token: string;
  knobs: AdobeCommerceFakeKnobs;
  state: {
    orders: Map<string, Json>;
    shipments: Json[];
    /** Key `<sku>|<source_code>`. */
    sourceItems: Map<string, SourceItemRecord>;
    calls: RecordedCall[];
  };
  /** Adds or replaces orders (by entity_id). */
  seedOrders(orders: Json[]): void;
  /** Sets an order's updated_at (Magento time), as a save in the admin would. */
  touchOrder(entityId: number | string, updatedAt: string): void;
  /** Calls whose path starts with `prefix` (and method, when given). */
  callsTo(prefix: string, method?: string): RecordedCall[];
  close(): Promise<void>;
}

const NOT_FOUND = { message: "The entity that was requested doesn't exist. Verify the entity and try again." };
const CANNOT_SHIP = "Shipment Document Validation Error(s):\nThe order does not allow a shipment to be created.\nYou can't create a shipment without products.";

export async function startAdobeCommerceFake(options: AdobeCommerceFakeOptions = {}): Promise<AdobeCommerceFake> {
  const token = options.token ?? 'test-integration-token';
  const root = `/rest/${options.storeCode ?? 'default'}`;
  const now = options.now ?? Date.now;
  const orders = new Map<string, Json>();
  const shipments: Json[] = [];
  const sourceItems = new Map<string, SourceItemRecord>();
  const calls: RecordedCall[] = [];
  let throttled = { count: 0, retryAfter: 1 };
  let failing = { count: 0, status: 503 };
  let tokens: { level: number; at: number } | undefined;

  const knobs: AdobeCommerceFakeKnobs = {
    throttle(count, retryAfterSeconds = 1) { throttled = { count, retryAfter: retryAfterSeconds }; },
    fail(count, status = 503) { failing = { count, status }; },
    bucket: undefined,
    dropShipResponses: 0,
    maxInputItems: undefined,
    unknownSkus: new Set(),
    anonymousSkuErrors: false,
    sources: new Set(['default']),
  };

  const seedOrders = (list: Json[]) => {
    for (const order of list) orders.set(String(order.entity_id), structuredClone(order));
  };
  seedOrders(options.orders ?? []);

  /** Token bucket: undefined when a token was taken, else the seconds until the next one. */
  const takeToken = (): number | undefined => {
    const bucket = knobs.bucket;
    if (bucket === undefined) return undefined;
    const t = now();
    const current = tokens ?? { level: bucket.capacity, at: t };
    const level = Math.min(bucket.capacity, current.level + ((t - current.at) / 1000) * bucket.refillPerSecond);
    if (level >= 1) {
      tokens = { level: level - 1, at: t };
      return undefined;
    }
    tokens = { level, at: t };
    return Math.max(1, Math.ceil((1 - level) / bucket.refillPerSecond));
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { message: String(error) });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await readBody(req);
    let body: unknown = undefined;
    if (raw !== '') {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    const path = url.pathname.startsWith(root) ? url.pathname.slice(root.length) : url.pathname;
    const call: RecordedCall = { method: req.method ?? 'GET', path, query: Object.fromEntries(url.searchParams), body, status: 0 };
    calls.push(call);
    const reply = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      call.status = status;
      send(res, status, payload, headers);
    };

    if (!url.pathname.startsWith(`${root}/V1/`)) return reply(404, { message: `Request does not match any route.` });
    if (throttled.count > 0) {
      throttled.count -= 1;
      return reply(429, { message: 'Too Many Requests' }, { 'retry-after': String(throttled.retryAfter) });
    }
    const wait = takeToken();
    if (wait !== undefined) return reply(429, { message: 'Too Many Requests' }, { 'retry-after': String(wait) });
    if (req.headers.authorization !== `Bearer ${token}`) {
      return reply(401, { message: "The consumer isn't authorized to access %resources.", parameters: { resources: resourceOf(path) } });
    }
    if (failing.count > 0) {
      failing.count -= 1;
      return reply(failing.status, { message: 'Internal Error. Details are available in Magento log file. Report ID: webapi-6651f0f3e2c7a' });
    }

    const method = req.method ?? 'GET';
    let match: RegExpExecArray | null;
    if (method === 'GET' && path === '/V1/orders') return reply(200, search([...orders.values()], url.searchParams));
    if (method === 'GET' && (match = /^\/V1\/orders\/(\d+)$/.exec(path))) {
      const order = orders.get(match[1]!);
      return order === undefined ? reply(404, NOT_FOUND) : reply(200, order);
    }
    if (method === 'GET' && path === '/V1/shipments') return reply(200, search(shipments, url.searchParams));
    if (method === 'POST' && (match = /^\/V1\/order\/(\d+)\/ship$/.exec(path))) {
      const outcome = ship(match[1]!, body);
      if (outcome.status === 200 && knobs.dropShipResponses > 0) {
        knobs.dropShipResponses -= 1;
        call.status = -1;
        req.socket.destroy();
        return;
      }
      return reply(outcome.status, outcome.body);
    }
    if (method === 'POST' && path === '/V1/inventory/source-items') {
      const outcome = saveSourceItems(body);
      return reply(outcome.status, outcome.body);
    }
    return reply(404, { message: 'Request does not match any route.' });
  }

  function ship(orderId: string, body: unknown): { status: number; body: unknown } {
    const order = orders.get(orderId);
    if (order === undefined) return { status: 404, body: NOT_FOUND };
    const request = isObject(body) ? body : {};
    const rows = (Array.isArray(order.items) ? order.items : []) as Json[];
    const toShip = (row: Json) => Number(row.qty_ordered ?? 0) - Number(row.qty_shipped ?? 0) - Number(row.qty_refunded ?? 0) - Number(row.qty_canceled ?? 0);
    const parentOf = (row: Json) => rows.find((r) => r.item_id === row.parent_item_id);
    // Rows Magento ships directly: not the child of a configurable.
    const shippable = rows.filter((row) => parentOf(row)?.product_type !== 'configurable' && row.is_virtual !== 1);
    const blocked = ['canceled', 'holded', 'complete', 'closed', 'payment_review'].includes(String(order.state));
    if (blocked || !shippable.some((row) => toShip(row) > 0)) return { status: 400, body: { message: CANNOT_SHIP } };

    const wanted = Array.isArray(request.items) && request.items.length > 0
      ? (request.items as Json[]).map((i) => ({ id: Number(i.order_item_id), qty: Number(i.qty) }))
      : shippable.filter((row) => toShip(row) > 0).map((row) => ({ id: Number(row.item_id), qty: toShip(row) }));
    for (const want of wanted) {
      const row = rows.find((r) => Number(r.item_id) === want.id);
      if (row === undefined || !(want.qty > 0)) return { status: 400, body: { message: "Shipment Document Validation Error(s):\nYou can't create a shipment without products." } };
      if (want.qty > toShip(row) + 1e-9) return { status: 400, body: { message: 'Shipment Document Validation Error(s):\nThe quantity to ship for item %1 exceeds what is left to ship.', parameters: [want.id] } };
    }
    const sourceCode = isObject(request.arguments) && isObject(request.arguments.extension_attributes) ? request.arguments.extension_attributes.source_code : undefined;
    if (sourceCode !== undefined && !knobs.sources.has(String(sourceCode))) {
      return { status: 400, body: { message: 'Source with code "%1" does not exist.', parameters: [String(sourceCode)] } };
    }
    for (const want of wanted) {
      const row = rows.find((r) => Number(r.item_id) === want.id)!;
      row.qty_shipped = Number(row.qty_shipped ?? 0) + want.qty;
      // A configurable ships through its parent; Magento marks the child row shipped too.
      for (const child of rows.filter((r) => r.parent_item_id === row.item_id && row.product_type === 'configurable')) child.qty_shipped = row.qty_shipped;
    }
    const entityId = shipments.length + 1;
    const createdAt = magentoTime(now());
    const comment = isObject(request.comment) && typeof request.comment.comment === 'string' ? request.comment.comment : undefined;
    const tracks = (Array.isArray(request.tracks) ? request.tracks : []) as Json[];
    shipments.push({
      entity_id: entityId,
      increment_id: String(entityId).padStart(9, '0'),
      order_id: Number(orderId),
      store_id: 1,
      created_at: createdAt,
      updated_at: createdAt,
      total_qty: wanted.reduce((sum, w) => sum + w.qty, 0),
      email_sent: request.notify === true ? 1 : null,
      items: wanted.map((w) => {
        const row = rows.find((r) => Number(r.item_id) === w.id)!;
        return { order_item_id: w.id, qty: w.qty, sku: row.sku, name: row.name, product_id: row.product_id, price: row.price, parent_id: entityId };
      }),
      tracks: tracks.map((t, index) => ({ entity_id: entityId * 100 + index, parent_id: entityId, order_id: Number(orderId), track_number: t.track_number, title: t.title, carrier_code: t.carrier_code, created_at: createdAt })),
      comments: comment === undefined ? [] : [{ entity_id: entityId, parent_id: entityId, comment, is_visible_on_front: 0, is_customer_notified: null, created_at: createdAt }],
      packages: [],
      extension_attributes: sourceCode === undefined ? {} : { source_code: sourceCode },
      notify: request.notify === true,
    });
    const done = shippable.every((row) => toShip(row) <= 0);
    if (done) {
      order.state = 'complete';
      order.status = 'complete';
    }
    order.updated_at = createdAt;
    return { status: 200, body: entityId };
  }

  function saveSourceItems(body: unknown): { status: number; body: unknown } {
    const list = isObject(body) && Array.isArray(body.sourceItems) ? (body.sourceItems as Json[]) : undefined;
    if (list === undefined) return { status: 400, body: { message: '"%fieldName" is required. Enter and try again.', parameters: { fieldName: 'sourceItems' } } };
    if (knobs.maxInputItems !== undefined && list.length > knobs.maxInputItems) {
      return { status: 400, body: { message: 'Maximum items of type "%type" is %max', parameters: { type: '\\Magento\\InventoryApi\\Api\\Data\\SourceItemInterface', max: knobs.maxInputItems } } };
    }
    const errors: Json[] = [];
    for (const item of list) {
      if (typeof item.sku !== 'string' || item.sku.trim() === '') errors.push({ message: '"%field" can not be empty.', parameters: { field: 'sku' } });
      else if (knobs.unknownSkus.has(item.sku)) errors.push({ message: 'Product with SKU "%sku" does not exist.', parameters: { sku: item.sku } });
      if (typeof item.quantity !== 'number' || item.quantity < 0) errors.push({ message: '"%field" should be numeric.', parameters: { field: 'quantity' } });
    }
    const unknownSource = list.find((item) => !knobs.sources.has(String(item.source_code)));
    if (unknownSource !== undefined || (knobs.anonymousSkuErrors && errors.length > 0)) return { status: 400, body: { message: 'Could not save Source Item' } };
    if (errors.length > 0) return { status: 400, body: { message: 'Validation Failed', errors } };
    for (const item of list) {
      const record = { sku: String(item.sku), source_code: String(item.source_code), quantity: Number(item.quantity), status: Number(item.status ?? 0) };
      sourceItems.set(`${record.sku}|${record.source_code}`, record);
    }
    return { status: 200, body: [] };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${root}`,
    token,
    knobs,
    state: { orders, shipments, sourceItems, calls },
    seedOrders,
    touchOrder(entityId, updatedAt) {
      const order = orders.get(String(entityId));
      if (order !== undefined) order.updated_at = updatedAt;
    },
    callsTo: (prefix, method) => calls.filter((c) => c.path.startsWith(prefix) && (method === undefined || c.method === method)),
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((error) => (error ? reject(error) : resolve()));
    }),
  };
}

/** Magento's `Repository::getList(SearchCriteria)`: filter groups ANDed, filters in a group ORed. */
function search(records: Json[], params: URLSearchParams): Json {
  const groups = new Map<number, Map<number, Json>>();
  const sorts = new Map<number, Json>();
  for (const [key, value] of params) {
    let m = /^searchCriteria\[filter_groups\]\[(\d+)\]\[filters\]\[(\d+)\]\[(field|value|condition_type)\]$/.exec(key);
    if (m) {
      const group = groups.get(Number(m[1])) ?? new Map<number, Json>();
      groups.set(Number(m[1]), group);
      const filter = group.get(Number(m[2])) ?? {};
      group.set(Number(m[2]), { ...filter, [m[3]!]: value });
      continue;
    }
    m = /^searchCriteria\[sortOrders\]\[(\d+)\]\[(field|direction)\]$/.exec(key);
    if (m) sorts.set(Number(m[1]), { ...(sorts.get(Number(m[1])) ?? {}), [m[2]!]: value });
  }
  const filterGroups = [...groups.entries()].sort(([a], [b]) => a - b).map(([, g]) => [...g.entries()].sort(([a], [b]) => a - b).map(([, f]) => f));
  const sortOrders = [...sorts.entries()].sort(([a], [b]) => a - b).map(([, s]) => s);
  const matching = records
    .filter((record) => filterGroups.every((filters) => filters.some((f) => matches(record[String(f.field)], String(f.condition_type ?? 'eq'), String(f.value ?? '')))))
    .sort((a, b) => {
      for (const sort of sortOrders) {
        const order = compare(a[String(sort.field)], b[String(sort.field)]);
        if (order !== 0) return String(sort.direction ?? 'ASC').toUpperCase() === 'DESC' ? -order : order;
      }
      return 0;
    });
  const pageSize = params.has('searchCriteria[pageSize]') ? Number(params.get('searchCriteria[pageSize]')) : undefined;
  const requested = Number(params.get('searchCriteria[currentPage]') ?? 1);
  let items = matching;
  let currentPage = requested;
  if (pageSize !== undefined && pageSize > 0) {
    // Magento clamps a page past the end to the last page (the collection's getCurPage()).
    const lastPage = Math.max(1, Math.ceil(matching.length / pageSize));
    currentPage = Math.min(Math.max(1, requested), lastPage);
    items = matching.slice((currentPage - 1) * pageSize, currentPage * pageSize);
  }
  return {
    items: structuredClone(items),
    search_criteria: {
      filter_groups: filterGroups.map((filters) => ({ filters })),
      ...(sortOrders.length === 0 ? {} : { sort_orders: sortOrders }),
      ...(pageSize === undefined ? {} : { page_size: pageSize }),
      current_page: requested,
    },
    total_count: matching.length,
  };
}

function matches(actual: unknown, condition: string, value: string): boolean {
  switch (condition) {
    case 'eq': return compare(actual, value) === 0;
    case 'neq': return compare(actual, value) !== 0;
    case 'gt': return compare(actual, value) > 0;
    case 'gteq': case 'moreq': case 'from': return compare(actual, value) >= 0;
    case 'lt': return compare(actual, value) < 0;
    case 'lteq': case 'to': return compare(actual, value) <= 0;
    case 'in': return value.split(',').some((v) => compare(actual, v.trim()) === 0);
    case 'nin': return !value.split(',').some((v) => compare(actual, v.trim()) === 0);
    case 'like': return new RegExp(`^${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*')}$`, 'i').test(String(actual ?? ''));
    case 'null': return actual === null || actual === undefined;
    case 'notnull': return actual !== null && actual !== undefined;
    default: return false;
  }
}

/** Numbers numerically, everything else as text (Magento times sort as text). */
function compare(a: unknown, b: unknown): number {
  const na = typeof a === 'number' ? a : Number.NaN;
  const nb = typeof b === 'number' ? b : /^-?\d+(\.\d+)?$/.test(String(b)) ? Number(b) : Number.NaN;
  if (!Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  const sa = String(a ?? '');
  const sb = String(b ?? '');
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function resourceOf(path: string): string {
  if (path.startsWith('/V1/inventory')) return 'Magento_InventoryApi::source';
  if (path.startsWith('/V1/order/')) return 'Magento_Sales::ship';
  if (path.startsWith('/V1/shipments')) return 'Magento_Sales::shipment';
  return 'Magento_Sales::actions_view';
}

function magentoTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function send(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
