import { join } from 'node:path';
import { SpanKind } from '@opentelemetry/api';
import Database from 'better-sqlite3';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app/build-app.js';
import { SANDBOX_ERP_PREFIX } from '../../src/connectors/sandbox-erp/server.js';
import { waitFor } from '../support/exactly-once.js';
import { startApp, submitOrder, untilPosted, type RunningApp } from './support.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${CALLER_SPAN}-01`;

let running: RunningApp | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

/** Records the traceparent of every request the in-process sandbox ERP receives. */
function recordSandboxTraceparents(app: App, seen: string[]): void {
  app.http.addHook('onRequest', (request, _reply, done) => {
    if (request.url.startsWith(SANDBOX_ERP_PREFIX) && typeof request.headers.traceparent === 'string') seen.push(request.headers.traceparent);
    done();
  });
}

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe('tracing', () => {
  it('puts one order\'s request, job and ERP calls in the caller\'s trace', async () => {
    const exporter = new InMemorySpanExporter();
    const sandboxSaw: string[] = [];
    running = await startApp({}, { spanExporter: exporter }, (app) => recordSandboxTraceparents(app, sandboxSaw));

    const orderId = await submitOrder(running.url, 'TRACE-1', { traceparent: TRACEPARENT });
    await untilPosted(running.url, orderId);
    const spans = await waitFor(async () => exporter.getFinishedSpans(), (all) => all.some((s) => s.name === 'job order.process'), 5_000, 20);

    const server = spans.find((s) => s.name === 'POST /v1/orders');
    expect(server?.kind).toBe(SpanKind.SERVER);
    expect(server?.spanContext().traceId).toBe(TRACE_ID);
    expect(parentOf(server!)).toBe(CALLER_SPAN);
    expect(server?.attributes).toMatchObject({
      'http.request.method': 'POST', 'http.route': '/v1/orders', 'http.response.status_code': 202, 'crossdock.correlation_id': TRACE_ID,
    });

    const job = spans.find((s) => s.name === 'job order.process');
    expect(job?.kind).toBe(SpanKind.CONSUMER);
    expect(job?.spanContext().traceId).toBe(TRACE_ID);
    expect(parentOf(job!)).toBe(server!.spanContext().spanId);
    expect(job?.attributes).toMatchObject({ 'crossdock.job.queue': 'order.process', 'crossdock.job.attempt': 1 });
    expect(job?.attributes['crossdock.job.id']).toEqual(expect.any(String));

    // The order's ERP calls; periodic jobs (ERP change polls) call the ERP too, in traces of their own.
    const calls = spans.filter((s) => s.kind === SpanKind.CLIENT && parentOf(s) === job!.spanContext().spanId);
    expect(calls.length).toBeGreaterThanOrEqual(2);
    for (const call of calls) {
      expect(call.spanContext().traceId).toBe(TRACE_ID);
      expect(call.attributes).toMatchObject({ 'crossdock.target': 'erp', 'http.request.method': expect.any(String) });
      expect(call.attributes['http.response.status_code']).toEqual(expect.any(Number));
      // The ERP was told each call's own span as its parent: its logs join the same trace.
      expect(sandboxSaw).toContain(`00-${TRACE_ID}-${call.spanContext().spanId}-01`);
    }
    // The sandbox ERP runs in this process, so its side of each call is a SERVER span under the CLIENT span.
    const callSpanIds = new Set(calls.map((c) => c.spanContext().spanId));
    const erpSide = spans.filter((s) => s.kind === SpanKind.SERVER && callSpanIds.has(parentOf(s) ?? ''));
    expect(erpSide.length).toBe(calls.length);
    for (const s of erpSide) {
      expect(s.spanContext().traceId).toBe(TRACE_ID);
      expect(String(s.attributes['http.route'])).toMatch(new RegExp(`^${SANDBOX_ERP_PREFIX}`));
    }
  });

  it('starts a new trace for a request that brings none', async () => {
    const exporter = new InMemorySpanExporter();
    running = await startApp({}, { spanExporter: exporter });
    const orderId = await submitOrder(running.url, 'TRACE-NEW');
    await untilPosted(running.url, orderId);
    const spans = await waitFor(async () => exporter.getFinishedSpans(), (all) => all.some((s) => s.name === 'job order.process'), 5_000, 20);
    const server = spans.find((s) => s.name === 'POST /v1/orders')!;
    const job = spans.find((s) => s.name === 'job order.process')!;
    expect(parentOf(server)).toBeUndefined();
    expect(job.spanContext().traceId).toBe(server.spanContext().traceId);
  });

  it('passes a caller\'s traceparent on to the job and the ERP when no exporter is configured', async () => {
    const sandboxSaw: string[] = [];
    running = await startApp({}, {}, (app) => recordSandboxTraceparents(app, sandboxSaw));
    const orderId = await submitOrder(running.url, 'TRACE-PASS', { traceparent: TRACEPARENT });
    await untilPosted(running.url, orderId);
    const db = new Database(join(running.app.config.dataDir, 'crossdock.db'), { readonly: true });
    const job = db.prepare('SELECT trace_parent FROM jobs WHERE subject_id = ? AND queue = ?').get(orderId, 'order.process') as { trace_parent: string | null } | undefined;
    db.close();
    expect(job?.trace_parent).toBe(TRACEPARENT);
    expect(sandboxSaw.length).toBeGreaterThanOrEqual(2);
    for (const header of sandboxSaw) expect(header).toBe(TRACEPARENT);
  });
});
