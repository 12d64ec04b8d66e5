import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AttemptReport, CallContext } from '../connectors/capabilities.js';
import { createHttpClient } from './http-client.js';
import { MemoryRateBudget } from './memory-budget.js';
import { createProtectionPolicy } from './policy.js';
import { DEFAULT_PROTECTION, type CircuitState, type ProtectionSettings } from './types.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let baseUrl: string;
let handle: (req: IncomingMessage, res: ServerResponse, hit: number) => void;
let seen: Seen[];
const timers: NodeJS.Timeout[] = [];

// A fresh server (and port) per test: fetch keeps connections alive per origin, and a test
// must not inherit a connection the previous test's server closed.
beforeEach(async () => {
  seen = [];
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handle(req, res, seen.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
});

afterEach(async () => {
  for (const timer of timers.splice(0)) clearTimeout(timer);
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

/** A client on a fresh policy; waits between attempts are recorded and skipped. */
function client(overrides: Partial<ProtectionSettings> = {}, url = baseUrl) {
  const sleeps: number[] = [];
  const budget = new MemoryRateBudget();
  const deferrals: number[] = [];
  const defer = budget.deferRate.bind(budget);
  budget.deferRate = async (target, until) => {
    deferrals.push(until);
    await defer(target, until);
  };
  const circuit: CircuitState[] = [];
  const settings = { ...DEFAULT_PROTECTION, attempts: 3, timeoutMs: 2_000, ...overrides };
  const policy = createProtectionPolicy('erp', settings, {
    budget,
    random: () => 0,
    sleep: async (ms) => void sleeps.push(ms),
    observer: { onCircuitChange: (_target, state) => circuit.push(state) },
  });
  const http = createHttpClient({ baseUrl: url, target: 'erp', policy, defaultHeaders: { authorization: 'Bearer t0k3n' } });
  const reports: AttemptReport[] = [];
  const ctx: CallContext = { correlationId: 'corr-42', onAttempt: (report) => reports.push(report) };
  return { http, policy, ctx, reports, sleeps, deferrals, circuit };
}

describe('createHttpClient', () => {
  it('sends JSON with the correlation id and returns the parsed JSON answer', async () => {
    handle = (_req, res) => json(res, 201, { id: 'SO-7', number: '7' });
    const { http, ctx, reports } = client();
    const response = await http.request(
      { method: 'POST', path: '/orders?lang=en', operation: 'salesOrder.create', body: { ref: 'ord_1' } },
      ctx,
    );
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ id: 'SO-7', number: '7' });
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/api/orders?lang=en', body: '{"ref":"ord_1"}' });
    expect(seen[0]?.headers).toMatchObject({
      'content-type': 'application/json',
      'x-correlation-id': 'corr-42',
      authorization: 'Bearer t0k3n',
    });
    expect(reports).toEqual([
      expect.objectContaining({
        operation: 'salesOrder.create',
        attempt: 1,
        outcome: 'ok',
        status: 201,
        request: { method: 'POST', path: '/orders?lang=en', body: { ref: 'ord_1' } },
        response: { id: 'SO-7', number: '7' },
      }),
    ]);
  });

  it('returns a 404 to the connector instead of throwing or retrying', async () => {
    handle = (_req, res) => json(res, 404, { error: 'no such order' });
    const { http, ctx } = client();
    const response = await http.request({ method: 'GET', path: 'orders/9', operation: 'salesOrder.get' }, ctx);
    expect(response).toMatchObject({ status: 404, body: { error: 'no such order' } });
    expect(seen).toHaveLength(1);
  });

  it('returns a non-JSON answer as text', async () => {
    handle = (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('pong');
    const { http, ctx } = client();
    await expect(http.request({ method: 'GET', path: '/ping', operation: 'ping' }, ctx)).resolves.toMatchObject({ body: 'pong' });
  });

  it('rejects an answer that claims to be JSON but is not, without retrying', async () => {
    handle = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('<html>oops');
    const { http, ctx } = client();
    await expect(http.request({ method: 'GET', path: '/x', operation: 'x.get' }, ctx)).rejects.toMatchObject({
      code: 'target.rejected',
    });
    expect(seen).toHaveLength(1);
  });

  it('retries a 429 after its Retry-After and defers the shared budget by it', async () => {
    handle = (_req, res, hit) =>
      hit === 1 ? json(res, 429, { error: 'slow down' }, { 'retry-after': '2.0' }) : json(res, 200, { ok: true });
    const { http, ctx, reports, sleeps, deferrals } = client();
    const before = Date.now();
    const response = await http.request({ method: 'GET', path: '/stock', operation: 'stock.get' }, ctx);
    expect(response.body).toEqual({ ok: true });
    expect(seen).toHaveLength(2);
    expect(sleeps[0]).toBe(2_000);
    expect(deferrals[0]).toBeGreaterThanOrEqual(before + 2_000);
    expect(reports.map((r) => [r.outcome, r.status, r.errorCode])).toEqual([
      ['error', 429, 'target.rate-limited'],
      ['ok', 200, undefined],
    ]);
  });

  it('retries a 500 and returns the 200 that follows', async () => {
    handle = (_req, res, hit) => (hit === 1 ? json(res, 500, { error: 'boom' }) : json(res, 200, { id: 1 }));
    const { http, ctx, reports } = client();
    await expect(http.request({ method: 'GET', path: '/x', operation: 'x.get' }, ctx)).resolves.toMatchObject({ status: 200 });
    expect(reports.map((r) => [r.status, r.errorCode])).toEqual([
      [500, 'target.unavailable'],
      [200, undefined],
    ]);
  });

  it('throws target.unavailable with the answer in its context after the last 503, keeping its Retry-After', async () => {
    handle = (_req, res) => json(res, 503, { error: 'maintenance' }, { 'retry-after': '1' });
    const { http, ctx } = client({ attempts: 2 });
    const error = await http.request({ method: 'GET', path: '/x', operation: 'x.get' }, ctx).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'target.unavailable',
      retryAfterMs: 1_000,
      context: { status: 503, operation: 'x.get', body: '{"error":"maintenance"}' },
    });
    expect(seen).toHaveLength(2);
  });

  it('reports a connection the target resets as target.unreachable, and retries it', async () => {
    handle = (req) => req.socket.destroy();
    const { http, ctx } = client({ attempts: 2 });
    await expect(http.request({ method: 'POST', path: '/orders', operation: 'salesOrder.create', body: {} }, ctx)).rejects.toMatchObject({
      code: 'target.unreachable',
      kind: 'transient',
      context: { code: 'UND_ERR_SOCKET' },
    });
    expect(seen).toHaveLength(2);
  });

  it('reports a refused connection as target.unreachable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const { http, ctx } = client({ attempts: 1 }, `http://127.0.0.1:${port}`);
    await expect(http.request({ method: 'GET', path: '/x', operation: 'x.get' }, ctx)).rejects.toMatchObject({
      code: 'target.unreachable',
      context: { code: 'ECONNREFUSED' },
    });
  });

  it('gives up on a slow answer with target.timeout and closes the request', async () => {
    let closedByClient = false;
    handle = (_req, res) => {
      res.on('close', () => (closedByClient = !res.writableEnded));
      timers.push(setTimeout(() => json(res, 200, { late: true }), 3_000));
    };
    const { http, ctx } = client({ attempts: 1, timeoutMs: 100 });
    const started = performance.now();
    await expect(http.request({ method: 'GET', path: '/slow', operation: 'slow.get' }, ctx)).rejects.toMatchObject({
      code: 'target.timeout',
    });
    expect(performance.now() - started).toBeLessThan(1_500);
    await expect.poll(() => closedByClient).toBe(true);
  });

  it('opens the breaker after repeated failures, then closes it when a half-open probe succeeds', async () => {
    let healthy = false;
    handle = (_req, res) => (healthy ? json(res, 200, { ok: true }) : json(res, 502, { error: 'bad gateway' }));
    const { http, policy, ctx, circuit } = client({ attempts: 1, breakerThreshold: 2, breakerHalfOpenAfterMs: 100 });
    const get = () => http.request({ method: 'GET', path: '/x', operation: 'x.get' }, ctx);

    await expect(get()).rejects.toMatchObject({ code: 'target.unavailable' });
    await expect(get()).rejects.toMatchObject({ code: 'target.unavailable' });
    await expect(get()).rejects.toMatchObject({ code: 'target.circuit-open' });
    expect(seen).toHaveLength(2);
    expect(policy.snapshot().circuit).toBe('open');

    healthy = true;
    await new Promise((resolve) => setTimeout(resolve, 150));
    await expect(get()).resolves.toMatchObject({ status: 200 });
    expect(policy.snapshot().circuit).toBe('closed');
    expect(circuit).toEqual(['open', 'half-open', 'closed']);
  });
});
