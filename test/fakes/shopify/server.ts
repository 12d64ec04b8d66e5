import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local Shopify Admin API for tests and benchmarks, following the documented contract of
 * what the connector calls:
 * - REST `GET /admin/api/{v}/orders.json` (status, updated_at_min, order=updated_at asc, limit ≤ 250,
 *   cursor pagination by `Link: <…page_info=…>; rel="next"`, with page_info only limit/fields allowed)
 *   and `GET /admin/api/{v}/orders/{id}.json`;
 * - the REST leaky bucket: `X-Shopify-Shop-Api-Call-Limit: n/size` on every answer, 429 with
 *   `Retry-After` when the bucket is full;
 * - `POST /admin/api/{v}/graphql.json`: productVariants(query: "sku:…"), order(id:) with
 *   fulfillments and fulfillmentOrders, inventorySetQuantities, fulfillmentCreate(V2); every
 *   answer carries `extensions.cost.throttleStatus`; an empty bucket answers HTTP 200 with a
 *   THROTTLED error, as Shopify does;
 * - 401 `{"errors":"[API] Invalid API key or access token …"}` for a wrong X-Shopify-Access-Token.
 *
 * Knobs: `failNext(count, status, pathContains?)` injects 5xx (or any status), `loseNextResponse()`
 * applies the next GraphQL mutation and then answers 502 (a lost answer), `setRestBucket(level)`
 * and `setGraphqlAvailable(points)` fill the buckets. Records: `state.requests`,
 * `state.fulfillments`, `state.inventorySets`, `state.inventory`.
 */

export const INVALID_TOKEN_ERROR = '[API] Invalid API key or access token (unrecognized login or wrong password)';

/** Base64 HMAC-SHA256 of the body with the app secret: the `X-Shopify-Hmac-Sha256` of a delivery. */
export function signShopifyWebhook(body: string | Buffer, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

/** The headers of a webhook delivery as Shopify sends them (lower-cased, as the runtime hands them on). */
export function shopifyWebhookHeaders(options: { body: string | Buffer; secret: string; topic: string; shopDomain: string; webhookId?: string }): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-shopify-hmac-sha256': signShopifyWebhook(options.body, options.secret),
    'x-shopify-topic': options.topic,
    'x-shopify-shop-domain': options.shopDomain,
    'x-shopify-webhook-id': options.webhookId ?? `b54557e4-bdd9-4b37-8a5f-bf7d70bcd${Math.floor(Math.random() * 1000).toString().padStart(3, '0')}`,
    'x-shopify-api-version': '2025-07',
  };
}

export interface ShopifyFakeOptions {
  /** @default 'acme.myshopify.com' */
  shopDomain?: string;
  /** @default 'shpat_test' */
  accessToken?: string;
  /** REST leaky bucket. @default { size: 40, leakPerSecond: 2 } */
  restBucket?: { size: number; leakPerSecond: number };
  /** Retry-After sent with a REST 429. @default '2.0' (Shopify sends decimal seconds) */
  retryAfter?: string;
  /** GraphQL cost bucket. @default { maximumAvailable: 2000, restoreRate: 100 } */
  graphqlBucket?: { maximumAvailable: number; restoreRate: number };
  /** Location GIDs that exist. @default ['gid://shopify/Location/1'] */
  locations?: string[];
}

export interface FakeVariant { sku: string; inventoryItemId: string }
export interface FakeFulfillment {
  id: string;
  name: string;
  orderId: string;
  trackingNumbers: string[];
  trackingUrls: string[];
  company?: string;
  notifyCustomer: boolean;
  lineItems: { fulfillmentOrderLineItemId: string; quantity: number }[];
}
export interface FakeRequest { method: string; path: string; status: number; operation?: string }

export interface ShopifyFakeState {
  /** REST-format orders by id. */
  orders: Map<string, Record<string, unknown>>;
  variants: FakeVariant[];
  /** Which fulfillment order location each order's fulfillment order is assigned to. @default first location */
  orderLocations: Map<string, string>;
  fulfillments: FakeFulfillment[];
  /** Every accepted inventorySetQuantities call, its quantities in order. */
  inventorySets: { inventoryItemId: string; locationId: string; quantity: number }[][];
  /** Current available quantity per `inventoryItemId@locationId`. */
  inventory: Map<string, number>;
  requests: FakeRequest[];
}

export interface ShopifyFake {
  url: string;
  state: ShopifyFakeState;
  seedOrders(orders: readonly Record<string, unknown>[]): void;
  seedVariants(variants: readonly FakeVariant[]): void;
  failNext(count: number, status?: number, pathContains?: string): void;
  loseNextResponse(): void;
  setRestBucket(level: number): void;
  setGraphqlAvailable(points: number): void;
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
};

export async function startShopifyFake(options: ShopifyFakeOptions = {}): Promise<ShopifyFake> {
  const token = options.accessToken ?? 'shpat_test';
  const restSize = options.restBucket?.size ?? 40;
  const restLeak = options.restBucket?.leakPerSecond ?? 2;
  const gqlMax = options.graphqlBucket?.maximumAvailable ?? 2000;
  const gqlRestore = options.graphqlBucket?.restoreRate ?? 100;
  const locations = options.locations ?? ['gid://shopify/Location/1'];
  const state: ShopifyFakeState = {
    orders: new Map(), variants: [], orderLocations: new Map(), fulfillments: [], inventorySets: [], inventory: new Map(), requests: [],
  };
  const failures: { status: number; pathContains?: string }[] = [];
  let loseNext = false;
  let restLevel = 0;
  let restAt = Date.now();
  let gqlAvailable = gqlMax;
  let gqlAt = Date.now();
  let base = '';

  const leakRest = (): void => {
    const now = Date.now();
    restLevel = Math.max(0, restLevel - ((now - restAt) / 1000) * restLeak);
    restAt = now;
  };
  const restoreGql = (): void => {
    const now = Date.now();
    gqlAvailable = Math.min(gqlMax, gqlAvailable + ((now - gqlAt) / 1000) * gqlRestore);
    gqlAt = now;
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        handle(req, res, Buffer.concat(chunks).toString('utf8'));
      } catch (error) {
        json(res, 500, { errors: String(error) });
      }
    });
  });

  const handle = (req: IncomingMessage, res: ServerResponse, body: string): void => {
    const url = new URL(req.url ?? '/', base);
    const record = (status: number, operation?: string): void => {
      state.requests.push({ method: req.method ?? 'GET', path: `${url.pathname}${url.search}`, status, ...(operation ? { operation } : {}) });
    };
    const failure = failures.findIndex((f) => f.pathContains === undefined || url.pathname.includes(f.pathContains));
    if (failure >= 0) {
      const { status } = failures.splice(failure, 1)[0]!;
      record(status);
      return json(res, status, { errors: 'Internal Server Error (injected)' });
    }
    if (req.headers['x-shopify-access-token'] !== token) {
      record(401);
      return json(res, 401, { errors: INVALID_TOKEN_ERROR });
    }
    const rest = /^\/admin\/api\/([^/]+)\/(orders\.json|orders\/(\d+)\.json|graphql\.json)$/.exec(url.pathname);
    if (!rest) {
      record(404);
      return json(res, 404, { errors: 'Not Found' });
    }
    if (rest[2] === 'graphql.json' && req.method === 'POST') return graphql(res, body, record);
    if (req.method !== 'GET') {
      record(406);
      return json(res, 406, { errors: 'Not Acceptable' });
    }
    leakRest();
    if (restLevel + 1 > restSize) {
      record(429);
      return json(res, 429, { errors: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.' }, {
        'retry-after': options.retryAfter ?? '2.0',
        'x-shopify-shop-api-call-limit': `${restSize}/${restSize}`,
      });
    }
    restLevel += 1;
    const limitHeader = { 'x-shopify-shop-api-call-limit': `${Math.ceil(restLevel)}/${restSize}` };
    if (rest[3] !== undefined) {
      const order = state.orders.get(rest[3]);
      record(order ? 200 : 404);
      return order ? json(res, 200, { order }, limitHeader) : json(res, 404, { errors: 'Not Found' }, limitHeader);
    }
    return listOrders(res, url, rest[1]!, limitHeader, record);
  };

  const listOrders = (res: ServerResponse, url: URL, version: string, headers: Record<string, string>, record: (s: number) => void): void => {
    const params = url.searchParams;
    let query: { status: string; updatedAtMin?: string; order?: string; offset: number };
    const limit = Math.min(250, Math.max(1, Number(params.get('limit') ?? 50) || 50));
    const pageInfo = params.get('page_info');
    if (pageInfo !== null) {
      // REST pagination: with page_info, only limit and fields may be sent.
      const extra = [...params.keys()].filter((k) => !['page_info', 'limit', 'fields'].includes(k));
      if (extra.length > 0) {
        record(400);
        return json(res, 400, { errors: { page_info: [`cannot be combined with ${extra.join(', ')}`] } }, headers);
      }
      try {
        query = JSON.parse(Buffer.from(pageInfo, 'base64url').toString('utf8')) as typeof query;
      } catch {
        record(400);
        return json(res, 400, { errors: { page_info: ['Invalid value.'] } }, headers);
      }
    } else {
      query = { status: params.get('status') ?? 'open', offset: 0 };
      const min = params.get('updated_at_min');
      if (min !== null) query.updatedAtMin = min;
      const order = params.get('order');
      if (order !== null) query.order = order;
    }
    const min = query.updatedAtMin === undefined ? undefined : Date.parse(query.updatedAtMin);
    let orders = [...state.orders.values()].filter((o) => {
      if (min !== undefined && Date.parse(String(o.updated_at)) < min) return false;
      if (query.status === 'open') return o.closed_at == null && o.cancelled_at == null;
      if (query.status === 'closed') return o.closed_at != null;
      if (query.status === 'cancelled') return o.cancelled_at != null;
      return true;
    });
    orders = query.order === 'updated_at asc'
      ? orders.sort((a, b) => Date.parse(String(a.updated_at)) - Date.parse(String(b.updated_at)) || Number(a.id) - Number(b.id))
      : orders.sort((a, b) => Number(b.id) - Number(a.id));
    const page = orders.slice(query.offset, query.offset + limit);
    const link = (offset: number, rel: string): string => {
      const info = Buffer.from(JSON.stringify({ ...query, offset })).toString('base64url');
      return `<${base}/admin/api/${version}/orders.json?limit=${limit}&page_info=${info}>; rel="${rel}"`;
    };
    const links: string[] = [];
    if (query.offset > 0) links.push(link(Math.max(0, query.offset - limit), 'previous'));
    if (query.offset + limit < orders.length) links.push(link(query.offset + limit, 'next'));
    record(200);
    json(res, 200, { orders: page }, { ...headers, ...(links.length > 0 ? { link: links.join(', ') } : {}) });
  };

  const graphql = (res: ServerResponse, raw: string, record: (s: number, op?: string) => void): void => {
    let request: { query?: string; variables?: Record<string, unknown> };
    try {
      request = JSON.parse(raw) as typeof request;
    } catch {
      record(400);
      return json(res, 400, { errors: 'Bad Request' });
    }
    const query = request.query ?? '';
    const variables = request.variables ?? {};
    const operation = /inventorySetQuantities\s*\(/.test(query) ? 'inventorySetQuantities'
      : /productVariants\s*\(/.test(query) ? 'productVariants'
        : /fulfillmentCreate(V2)?\s*\(/.test(query) ? 'fulfillmentCreate'
          : /\border\s*\(\s*id:/.test(query) ? 'order' : undefined;
    if (operation === undefined) {
      record(200, 'unknown');
      return json(res, 200, { errors: [{ message: 'Field is not supported by the fake', extensions: { code: 'undefinedField' } }] });
    }
    const cost = operation === 'productVariants' ? Number(variables.first ?? 10) + 2 : operation === 'order' ? 50 : 10;
    restoreGql();
    const throttleStatus = () => ({ maximumAvailable: gqlMax, currentlyAvailable: Math.floor(gqlAvailable), restoreRate: gqlRestore });
    if (cost > gqlAvailable) {
      record(200, `${operation}:THROTTLED`);
      return json(res, 200, {
        errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }],
        extensions: { cost: { requestedQueryCost: cost, actualQueryCost: null, throttleStatus: throttleStatus() } },
      });
    }
    gqlAvailable -= cost;
    const data = operation === 'productVariants' ? productVariants(variables)
      : operation === 'order' ? orderState(String(variables.id ?? ''))
        : operation === 'inventorySetQuantities' ? inventorySet(variables.input)
          : fulfillmentCreate(variables.fulfillment, /fulfillmentCreateV2/.test(query) ? 'fulfillmentCreateV2' : 'fulfillmentCreate');
    const extensions = { cost: { requestedQueryCost: cost, actualQueryCost: cost, throttleStatus: throttleStatus() } };
    if (loseNext && operation !== 'order' && operation !== 'productVariants') {
      loseNext = false;
      record(502, operation);
      return json(res, 502, { errors: 'Bad Gateway (answer lost after the mutation was applied)' });
    }
    record(200, operation);
    json(res, 200, { data, extensions });
  };

  const productVariants = (variables: Record<string, unknown>): unknown => {
    const wanted = [...String(variables.query ?? '').matchAll(/sku:"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!.replace(/\\(.)/g, '$1'));
    const nodes = state.variants.filter((v) => wanted.includes(v.sku)).slice(0, Number(variables.first ?? 10))
      .map((v) => ({ sku: v.sku, inventoryItem: { id: v.inventoryItemId } }));
    return { productVariants: { nodes } };
  };

  /** Fulfillment order line items of an order: one fulfillment order per order, its lines' remaining quantities. */
  const fulfillmentOrderOf = (order: Record<string, unknown>) => {
    const orderId = String(order.id);
    const lines = (order.line_items as Record<string, unknown>[] | undefined ?? []).map((line) => {
      const id = `gid://shopify/FulfillmentOrderLineItem/${String(line.id)}`;
      const total = Number(line.current_quantity ?? line.quantity ?? 0);
      const done = state.fulfillments.flatMap((f) => f.lineItems).filter((l) => l.fulfillmentOrderLineItemId === id).reduce((s, l) => s + l.quantity, 0);
      return { id, remainingQuantity: Math.max(0, total - done), lineItem: { id: `gid://shopify/LineItem/${String(line.id)}`, sku: (line.sku as string | null) ?? null } };
    });
    const status = order.cancelled_at != null ? 'CANCELLED' : lines.every((l) => l.remainingQuantity === 0) ? 'CLOSED' : 'OPEN';
    return {
      id: `gid://shopify/FulfillmentOrder/${orderId}`,
      status,
      assignedLocation: { location: { id: state.orderLocations.get(orderId) ?? locations[0] } },
      lineItems: { nodes: lines },
    };
  };

  const orderState = (gid: string): unknown => {
    const id = /^gid:\/\/shopify\/Order\/(\d+)$/.exec(gid)?.[1];
    const order = id === undefined ? undefined : state.orders.get(id);
    if (order === undefined) return { order: null };
    return {
      order: {
        id: gid,
        name: order.name,
        fulfillments: state.fulfillments.filter((f) => f.orderId === id).map((f) => ({ id: f.id, name: f.name, trackingInfo: f.trackingNumbers.map((number) => ({ number })) })),
        fulfillmentOrders: { nodes: [fulfillmentOrderOf(order)] },
      },
    };
  };

  const inventorySet = (raw: unknown): unknown => {
    const input = (raw ?? {}) as { name?: string; reason?: string; ignoreCompareQuantity?: boolean; quantities?: { inventoryItemId: string; locationId: string; quantity: number }[] };
    const userErrors: { field: string[]; message: string; code: string }[] = [];
    if (input.name !== 'available') userErrors.push({ field: ['input', 'name'], message: 'The quantity name must be available or on_hand.', code: 'INVALID_NAME' });
    if (input.reason !== 'correction') userErrors.push({ field: ['input', 'reason'], message: 'The specified reason is invalid.', code: 'INVALID_REASON' });
    (input.quantities ?? []).forEach((q, i) => {
      if (!state.variants.some((v) => v.inventoryItemId === q.inventoryItemId)) {
        userErrors.push({ field: ['input', 'quantities', String(i), 'inventoryItemId'], message: 'The specified inventory item could not be found.', code: 'INVALID_INVENTORY_ITEM' });
      } else if (!locations.includes(q.locationId)) {
        userErrors.push({ field: ['input', 'quantities', String(i), 'locationId'], message: 'The specified location could not be found.', code: 'INVALID_LOCATION' });
      }
    });
    // All or nothing, as Shopify applies the mutation.
    if (userErrors.length > 0) return { inventorySetQuantities: { inventoryAdjustmentGroup: null, userErrors } };
    const quantities = input.quantities ?? [];
    state.inventorySets.push(quantities.map((q) => ({ inventoryItemId: q.inventoryItemId, locationId: q.locationId, quantity: q.quantity })));
    for (const q of quantities) state.inventory.set(`${q.inventoryItemId}@${q.locationId}`, q.quantity);
    return { inventorySetQuantities: { inventoryAdjustmentGroup: { id: `gid://shopify/InventoryAdjustmentGroup/${state.inventorySets.length}` }, userErrors: [] } };
  };

  const fulfillmentCreate = (raw: unknown, field: string): unknown => {
    type Input = {
      lineItemsByFulfillmentOrder?: { fulfillmentOrderId: string; fulfillmentOrderLineItems?: { id: string; quantity: number }[] }[];
      trackingInfo?: { company?: string; number?: string; numbers?: string[]; url?: string; urls?: string[] };
      notifyCustomer?: boolean;
    };
    const input = (raw ?? {}) as Input;
    const refuse = (message: string) => ({ [field]: { fulfillment: null, userErrors: [{ field: ['fulfillment'], message }] } });
    const groups = input.lineItemsByFulfillmentOrder ?? [];
    if (groups.length === 0) return refuse('Line items by fulfillment order must be present.');
    const items: { fulfillmentOrderLineItemId: string; quantity: number }[] = [];
    let orderId: string | undefined;
    for (const group of groups) {
      const id = /^gid:\/\/shopify\/FulfillmentOrder\/(\d+)$/.exec(group.fulfillmentOrderId)?.[1];
      const order = id === undefined ? undefined : state.orders.get(id);
      if (order === undefined || id === undefined) return refuse('Fulfillment order does not exist.');
      if (orderId !== undefined && orderId !== id) return refuse('Fulfillment orders must belong to the same order.');
      orderId = id;
      const fo = fulfillmentOrderOf(order);
      if (fo.status !== 'OPEN' && fo.status !== 'IN_PROGRESS') return refuse('Fulfillment order is not in a fulfillable state.');
      const wanted = group.fulfillmentOrderLineItems ?? fo.lineItems.nodes.map((l) => ({ id: l.id, quantity: l.remainingQuantity }));
      for (const item of wanted) {
        const line = fo.lineItems.nodes.find((l) => l.id === item.id);
        if (line === undefined) return refuse('Fulfillment order line item does not exist.');
        if (!(item.quantity > 0) || item.quantity > line.remainingQuantity) return refuse('Invalid fulfillment order line item quantity requested.');
        items.push({ fulfillmentOrderLineItemId: item.id, quantity: item.quantity });
      }
    }
    const order = state.orders.get(orderId!)!;
    const count = state.fulfillments.filter((f) => f.orderId === orderId).length + 1;
    const tracking = input.trackingInfo ?? {};
    const fulfillment: FakeFulfillment = {
      id: `gid://shopify/Fulfillment/${9000 + state.fulfillments.length + 1}`,
      name: `${String(order.name ?? `#${orderId}`)}.${count}`,
      orderId: orderId!,
      trackingNumbers: tracking.numbers ?? (tracking.number ? [tracking.number] : []),
      trackingUrls: tracking.urls ?? (tracking.url ? [tracking.url] : []),
      ...(tracking.company ? { company: tracking.company } : {}),
      notifyCustomer: input.notifyCustomer === true,
      lineItems: items,
    };
    state.fulfillments.push(fulfillment);
    return { [field]: { fulfillment: { id: fulfillment.id, name: fulfillment.name, status: 'SUCCESS' }, userErrors: [] } };
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    state,
    seedOrders(orders) {
      for (const order of orders) state.orders.set(String(order.id), structuredClone(order) as Record<string, unknown>);
    },
    seedVariants(variants) {
      state.variants.push(...variants);
    },
    failNext(count, status = 503, pathContains) {
      for (let i = 0; i < count; i++) failures.push({ status, ...(pathContains === undefined ? {} : { pathContains }) });
    },
    loseNextResponse() {
      loseNext = true;
    },
    setRestBucket(level) {
      leakRest();
      restLevel = level;
    },
    setGraphqlAvailable(points) {
      restoreGql();
      gqlAvailable = points;
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
