import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, submitOrder, untilPosted } from './support.js';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

interface Export {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A stand-in OpenTelemetry collector: keeps every OTLP/HTTP export it receives. */
let collector: Server;
const exports: Export[] = [];
let endpoint: string;

beforeAll(async () => {
  collector = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url === '/v1/traces') exports.push({ headers: request.headers, body: Buffer.concat(chunks).toString() });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}/v1/traces`;
});
afterAll(async () => {
  await new Promise((resolve) => collector.close(resolve));
});

interface OtlpSpan { name: string; traceId: string; kind: number }
interface OtlpExport {
  resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
}

describe('OTLP export', () => {
  it('sends an order\'s spans to the configured collector, with the configured headers and service name', async () => {
    const running = await startApp(
      { telemetry: { otlpEndpoint: endpoint, serviceName: 'crossdock-test', otlpHeaders: { 'x-collector-token': 'env:COLLECTOR_TOKEN' } } },
      {}, undefined, { COLLECTOR_TOKEN: 'tok-123' },
    );
    try {
      const orderId = await submitOrder(running.url, 'OTLP-1', { traceparent: `00-${TRACE_ID}-b7ad6b7169203331-01` });
      await untilPosted(running.url, orderId);
    } finally {
      // Stopping exports what the batch still holds.
      await running.stop();
    }
    expect(exports.length).toBeGreaterThan(0);
    expect(exports[0]!.headers['x-collector-token']).toBe('tok-123');
    const bodies = exports.map((e) => JSON.parse(e.body) as OtlpExport);
    const resources = bodies.flatMap((b) => b.resourceSpans);
    const serviceNames = resources.flatMap((r) => r.resource.attributes.filter((a) => a.key === 'service.name').map((a) => a.value.stringValue));
    expect(new Set(serviceNames)).toEqual(new Set(['crossdock-test']));
    const spans = resources.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    const ofOrder = spans.filter((s) => s.traceId === TRACE_ID).map((s) => s.name);
    expect(ofOrder).toContain('POST /v1/orders');
    expect(ofOrder).toContain('job order.process');
    expect(ofOrder.filter((n) => n.startsWith('erp ')).length).toBeGreaterThanOrEqual(2);
  });
});
