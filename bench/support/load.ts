import autocannon from 'autocannon';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { orderBodies } from './order.js';
import { summarize, type LatencySummary } from './stats.js';

/** What one load run measured, from the client's side. */
export interface LoadSummary {
  /** How the load was generated, for the report. */
  generator: string;
  connections: number;
  durationSec: number;
  /** Responses received. */
  responses: number;
  accepted: number;
  /** Responses with a status other than 2xx. */
  non2xx: number;
  /** Connection errors and timeouts (no response at all). */
  errors: number;
  acceptedPerSec: number;
  latencyMs: LatencySummary;
  statusCodes: Record<string, number>;
}

export interface ClosedLoopOptions {
  url: string;
  connections: number;
  durationSec: number;
  /** channelOrderId prefix, unique per run so no request is a duplicate (the default requests). */
  idPrefix: string;
  /** Path of every request. @default /v1/orders */
  path?: string;
  /**
   * The headers (beside Content-Length) and body of each next request. Default: the sample
   * order with the next channelOrderId, as JSON.
   */
  nextRequest?: () => { headers: Record<string, string>; body: string | Buffer };
}

/** The default requests of a closed loop: `POST /v1/orders` of the sample order, a new id each. */
function orderRequests(idPrefix: string): () => { headers: Record<string, string>; body: string } {
  const bodies = orderBodies(idPrefix);
  return () => ({ headers: { 'content-type': 'application/json' }, body: bodies.next() });
}

/**
 * Closed loop with autocannon: `connections` keep-alive connections each send the next order
 * as soon as the previous answer arrived, for `durationSec`. Every request is built anew by
 * autocannon's `setupRequest`: by default the sample order with a new channelOrderId, else
 * whatever `nextRequest` gives (path, headers, body). Latency is autocannon's (1 ms
 * resolution, 2xx only).
 */
export async function closedLoop(options: ClosedLoopOptions): Promise<LoadSummary> {
  const path = options.path ?? '/v1/orders';
  const next = options.nextRequest ?? orderRequests(options.idPrefix);
  const result = await autocannon({
    url: `${options.url}${path}`,
    connections: options.connections,
    duration: options.durationSec,
    timeout: 10,
    requests: [{
      method: 'POST',
      path,
      setupRequest: (req) => {
        const { headers, body } = next();
        // A fresh headers object per request: autocannon writes Content-Length into it.
        return { ...req, headers: { ...req.headers, ...headers }, body };
      },
    }],
  });
  const accepted = result['2xx'];
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count]));
  return {
    generator: `autocannon 8, closed loop, ${options.connections} connections`,
    connections: options.connections,
    durationSec: result.duration,
    responses: Object.values(statusCodes).reduce((a, b) => a + b, 0),
    accepted,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    acceptedPerSec: accepted / result.duration,
    latencyMs: {
      p50: result.latency.p50,
      p97_5: result.latency.p97_5,
      p99: result.latency.p99,
      p99_9: result.latency.p99_9,
      max: result.latency.max,
      mean: result.latency.mean,
    },
    statusCodes,
  };
}

export interface PacedOptions {
  url: string;
  /** Requests started per second, evenly spaced. */
  ratePerSec: number;
  durationSec: number;
  /** Most connections (keep-alive sockets) open at once. */
  connections: number;
  idPrefix: string;
  /** Longest wait for the last answers after the sending stopped. */
  drainTimeoutMs?: number;
}

export interface PacedSummary extends LoadSummary {
  /** Requests the schedule called for. */
  scheduled: number;
  /** Latency from the request's scheduled start (includes waiting for a free connection). */
  latencyFromScheduleMs: LatencySummary;
  /** Per second of the schedule: answers accepted and p99 latency from schedule (ms). */
  perSecond: { accepted: number; p99: number; max: number }[];
  /** When the first request was scheduled and the last answer arrived (performance.now()). */
  startedAt: number;
  finishedAt: number;
}

/**
 * Open loop at a fixed rate: request i is due at start + i/rate whatever happened to the
 * earlier ones, on at most `connections` keep-alive connections. Latency is measured from the
 * due time, so a server that falls behind shows it in full (no coordinated omission), and the
 * client-side queueing for a connection is counted against the server, not hidden.
 *
 * autocannon's `overallRate` is not used here: it grants each connection a quota per second
 * (so requests go out in bursts at the top of every second) and its coordinated-omission
 * correction passes ceil(1/rate) — 1 ms for any rate ≥ 1/s — as the expected interval.
 */
export async function pacedLoad(options: PacedOptions): Promise<PacedSummary> {
  const target = new URL(`${options.url}/v1/orders`);
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections, maxFreeSockets: options.connections });
  const bodies = orderBodies(options.idPrefix);
  const total = Math.round(options.ratePerSec * options.durationSec);
  const intervalMs = 1000 / options.ratePerSec;
  const fromSchedule = new Float64Array(total);
  const fromSend = new Float64Array(total);
  const dueSecond = new Int32Array(total);
  const statusCodes: Record<string, number> = {};
  let done = 0;
  let accepted = 0;
  let errors = 0;
  let responses = 0;
  let sent = 0;

  const startedAt = performance.now();
  let finishedAt = startedAt;
  let resolveAll!: () => void;
  const allDone = new Promise<void>((resolve) => (resolveAll = resolve));
  const finishOne = () => {
    done += 1;
    if (done === total) resolveAll();
  };

  const fire = (index: number) => {
    const due = startedAt + index * intervalMs;
    const body = bodies.next();
    const sentAt = performance.now();
    const req = request({
      agent, host: target.hostname, port: target.port, path: target.pathname, method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      res.resume();
      res.on('end', () => {
        const now = performance.now();
        finishedAt = Math.max(finishedAt, now);
        const code = res.statusCode ?? 0;
        statusCodes[code] = (statusCodes[code] ?? 0) + 1;
        responses += 1;
        if (code >= 200 && code < 300) {
          fromSchedule[accepted] = now - due;
          dueSecond[accepted] = Math.floor((due - startedAt) / 1000);
          fromSend[accepted] = now - sentAt;
          accepted += 1;
        }
        finishOne();
      });
    });
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.on('error', () => {
      errors += 1;
      finishOne();
    });
    req.end(body);
  };

  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - startedAt) / intervalMs) + 1);
      while (sent < due) fire(sent++);
      if (sent >= total) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  const drainTimeout = new Promise<void>((resolve) => setTimeout(resolve, options.drainTimeoutMs ?? 15_000).unref());
  await Promise.race([allDone, drainTimeout]);
  agent.destroy();

  const durationSec = options.durationSec;
  const bySecond: number[][] = Array.from({ length: Math.ceil(durationSec) }, () => []);
  for (let i = 0; i < accepted; i++) bySecond[dueSecond[i]!]?.push(fromSchedule[i]!);
  const perSecond = bySecond.map((values) => {
    const s = summarize(values);
    return { accepted: values.length, p99: s.p99, max: s.max };
  });
  return {
    generator: `open loop at ${options.ratePerSec}/s on ≤ ${options.connections} keep-alive connections (node:http)`,
    connections: options.connections,
    durationSec,
    scheduled: total,
    responses,
    accepted,
    non2xx: responses - accepted,
    errors: errors + (total - done),
    acceptedPerSec: accepted / durationSec,
    latencyMs: summarize(fromSend.subarray(0, accepted)),
    latencyFromScheduleMs: summarize(fromSchedule.subarray(0, accepted)),
    statusCodes,
    perSecond,
    startedAt,
    finishedAt,
  };
}
