import {
  ROOT_CONTEXT, SpanKind, SpanStatusCode, context, createContextKey, trace,
  type Attributes, type Context, type Span, type TextMapGetter, type TextMapSetter, type Tracer,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler, SimpleSpanProcessor, TraceIdRatioBasedSampler,
  type SpanExporter, type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { TelemetrySettings } from './config-schema.js';

export interface TracingOptions {
  /**
   * Receives every finished span at once (tests: an `InMemorySpanExporter`). Used instead of
   * the OTLP exporter `telemetry.otlpEndpoint` would configure.
   */
  exporter?: SpanExporter;
}

/** A request's trace: the context its handler runs in, and its SERVER span when recorded. */
export interface RequestTrace {
  context: Context;
  span: { end(status: number): void } | undefined;
}

/** The app's tracing, reachable from inside a request or job without being passed down. */
const TRACING = createContextKey('crossdock.tracing');
const propagator = new W3CTraceContextPropagator();
const getter: TextMapGetter<Record<string, string | undefined>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key],
};
const headerSetter: TextMapSetter<Headers> = { set: (headers, key, value) => headers.set(key, value) };
const recordSetter: TextMapSetter<Record<string, string>> = { set: (carrier, key, value) => { carrier[key] = value; } };

let contextManagerInstalled = false;
/**
 * The active context follows async calls through AsyncLocalStorage. The context manager is
 * process-wide (it only carries values; every app keeps its own tracer provider), installed once,
 * and only when there is a context to carry: on Node 20 an enabled AsyncLocalStorage hooks every
 * promise, which cost intake a measurable share of its rate when nothing was traced.
 */
function installContextManager(): void {
  if (contextManagerInstalled) return;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  contextManagerInstalled = true;
}

/**
 * OpenTelemetry tracing for one app: its own tracer provider (not the global one, so several
 * apps in one process keep their spans apart). With no exporter nothing is recorded and no span
 * is created, but an incoming `traceparent` still becomes the active context, is stored with the
 * jobs a request enqueues and is sent on every outbound call — a caller's trace continues
 * through crossdock to the targets even when crossdock exports nothing.
 */
export class Tracing {
  readonly #tracer: Tracer | undefined;
  readonly #provider: BasicTracerProvider | undefined;

  private constructor(provider: BasicTracerProvider | undefined) {
    this.#provider = provider;
    this.#tracer = provider?.getTracer('crossdock');
  }

  static create(settings: TelemetrySettings, options: TracingOptions = {}): Tracing {
    const processor = spanProcessorFor(settings, options);
    if (!processor) return new Tracing(undefined);
    installContextManager();
    return new Tracing(new BasicTracerProvider({
      resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: settings.serviceName }),
      // A caller's sampling decision is followed; new traces are sampled at `sampleRatio`.
      sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(settings.sampleRatio) }),
      spanProcessors: [processor],
    }));
  }

  /** True when spans are recorded and exported. */
  get recording(): boolean {
    return this.#tracer !== undefined;
  }

  /**
   * The context a request runs in: a SERVER span, child of the caller's `traceparent` when there
   * is one. Undefined when there is nothing to record or pass on (the cheap path of intake).
   */
  startServerSpan(name: string, traceparent: string | undefined, attributes: Attributes): RequestTrace | undefined {
    if (!this.#tracer && traceparent === undefined) return undefined;
    installContextManager();
    const parent = extract(traceparent).setValue(TRACING, this);
    if (!this.#tracer) return { context: parent, span: undefined };
    const span = this.#tracer.startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
    return {
      context: trace.setSpan(parent, span),
      span: {
        end(status) {
          span.setAttribute('http.response.status_code', status);
          // A 4xx is the caller's mistake, not the server's failure (OpenTelemetry HTTP conventions).
          if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
        },
      },
    };
  }

  /**
   * Runs `run` in a CONSUMER span continuing the trace the job was enqueued in
   * (`traceParent`), so one trace goes from the request through the queue to every call.
   */
  async runJob<T>(job: { id: string; queue: string; attempts: number; traceParent?: string }, run: () => Promise<T>): Promise<T> {
    if (!this.#tracer && job.traceParent === undefined) return run();
    installContextManager();
    const parent = extract(job.traceParent).setValue(TRACING, this);
    if (!this.#tracer) return context.with(parent, run);
    const span = this.#tracer.startSpan(`job ${job.queue}`, {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'crossdock', 'messaging.destination.name': job.queue, 'messaging.message.id': job.id,
        'crossdock.job.queue': job.queue, 'crossdock.job.id': job.id, 'crossdock.job.attempt': job.attempts,
      },
    }, parent);
    try {
      return await context.with(trace.setSpan(parent, span), run);
    } catch (error) {
      failSpan(span, error);
      throw error;
    } finally {
      span.end();
    }
  }

  /** A CLIENT span under `parent` whose context is written into `headers` (see `startClientSpan`). */
  clientSpan(parent: Context, name: string, headers: Headers, attributes: Attributes): ClientSpan {
    if (!this.#tracer) {
      propagator.inject(parent, headers, headerSetter);
      return NO_SPAN;
    }
    const span = this.#tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }, parent);
    propagator.inject(trace.setSpan(parent, span), headers, headerSetter);
    return {
      end(status, error) {
        if (status !== undefined) span.setAttribute('http.response.status_code', status);
        if (error !== undefined) failSpan(span, error);
        else if (status !== undefined && status >= 400) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      },
    };
  }

  /** Exports what is buffered (tests, shutdown). */
  async flush(): Promise<void> {
    await this.#provider?.forceFlush();
  }

  /** Exports what is buffered and stops exporting. */
  async shutdown(): Promise<void> {
    await this.#provider?.shutdown();
  }
}

/** An outbound call's CLIENT span: its context is already in the request headers. */
export interface ClientSpan {
  end(status: number | undefined, error?: unknown): void;
}

const NO_SPAN: ClientSpan = { end: () => undefined };

/**
 * Starts the CLIENT span of one outbound attempt, as a child of the active request or job, and
 * writes its `traceparent` into `headers`. Outside any request or job nothing is written.
 */
export function startClientSpan(name: string, headers: Headers, attributes: Attributes): ClientSpan {
  const active = context.active();
  const tracing = active.getValue(TRACING) as Tracing | undefined;
  if (tracing) return tracing.clientSpan(active, name, headers, attributes);
  propagator.inject(active, headers, headerSetter);
  return NO_SPAN;
}

/** The W3C `traceparent` of the active span, for a job enqueued now; undefined outside any trace. */
export function activeTraceParent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagator.inject(context.active(), carrier, recordSetter);
  return carrier.traceparent;
}

/** Marks a span failed with the error's code (a CrossdockError's) or name. */
export function failSpan(span: Span, error: unknown): void {
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : undefined;
  span.setAttribute('error.type', code ?? (error instanceof Error ? error.name : 'error'));
  if (error instanceof Error) span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

function extract(traceparent: string | undefined): Context {
  return traceparent === undefined ? ROOT_CONTEXT : propagator.extract(ROOT_CONTEXT, { traceparent }, getter);
}

function spanProcessorFor(settings: TelemetrySettings, options: TracingOptions): SpanProcessor | undefined {
  if (options.exporter) return new SimpleSpanProcessor(options.exporter);
  if (settings.otlpEndpoint === undefined) return undefined;
  return new BatchSpanProcessor(new OTLPTraceExporter({ url: settings.otlpEndpoint, headers: settings.otlpHeaders }));
}
