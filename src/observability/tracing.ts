import { context, trace, SpanKind, SpanStatusCode, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler, RandomIdGenerator, TraceIdRatioBasedSampler, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

/**
 * The trace of one customer message: a root span, one child span per pipeline segment (timed by
 * the stopwatch, so the trace and the `end` frame's timings are the same numbers) and one per
 * downstream call (run inside its span, so cache lookups and model calls underneath attach to it).
 */
export interface MessageTrace {
  /** 32 hex digits; present even when the trace is not sampled for export (logs and `end` frames carry it). */
  readonly traceId: string;
  /** A finished pipeline segment, from `startMs` to `endMs` (performance.now() values). */
  segment(name: string, startMs: number, endMs: number, attributes?: Attributes): void;
  /** Runs a downstream call inside its own child span; `finish` sets the attributes known only at its end. */
  call<T>(name: string, attributes: Attributes, run: (span: CallSpan) => Promise<T>): Promise<T>;
  /** Attributes of the whole message (intent, priority, model, outcome, ...). */
  set(attributes: Attributes): void;
  /** Ends the root span; `error` marks it failed. */
  end(error?: unknown): void;
}

/** What a downstream call may add to its span while it runs. */
export interface CallSpan {
  set(attributes: Attributes): void;
  /** Marks the call failed (the message may still be answered through a fallback). */
  fail(reason: string): void;
}

/** Makes message traces; exports them over OTLP/HTTP when an endpoint is configured. */
export interface Tracing {
  startMessage(attributes: Attributes): MessageTrace;
  /** Sends every finished span still buffered (tests, shutdown). */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  serviceName: string;
  serviceVersion?: string;
  /** OTLP/HTTP collector base URL; spans go to `<url>/v1/traces`. Unset: ids only, nothing recorded. */
  otlpEndpoint?: string;
  /** Share of traces exported (by trace id, so a trace is whole or absent). */
  sampleRatio: number;
  /** Extra processors (tests record spans in memory). With one, spans are recorded even without an endpoint. */
  processors?: SpanProcessor[];
}

let contextManagerSet = false;

/**
 * Tracing over the OpenTelemetry SDK. The provider is this app's own (not registered globally,
 * so several apps in one test process keep their spans apart); the async-hooks context manager
 * is process-wide, which is what lets a cache lookup deep inside a call find the call's span.
 */
export function createTracing(opts: TracingOptions): Tracing {
  if (!contextManagerSet) {
    contextManagerSet = context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  }
  const processors: SpanProcessor[] = [...(opts.processors ?? [])];
  if (opts.otlpEndpoint) {
    // Loaded only when configured: the exporter pulls in its HTTP transport and serialisers.
    processors.push(lazyOtlpProcessor(`${opts.otlpEndpoint.replace(/\/$/, '')}/v1/traces`));
  }
  // Without anywhere to send spans, none are recorded: the ids are still made for logs and frames,
  // by the SDK's own id generator, without a span (the SDK's unsampled root span cost a sampler
  // call, an attribute copy and a span object per message, and nothing ever reads them).
  if (processors.length === 0) {
    const ids = new RandomIdGenerator();
    return {
      startMessage: () => unrecordedTrace(ids.generateTraceId()),
      flush: async () => {},
      shutdown: async () => {},
    };
  }
  const provider = new BasicTracerProvider({
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(opts.sampleRatio) }),
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: opts.serviceName, ...(opts.serviceVersion ? { [ATTR_SERVICE_VERSION]: opts.serviceVersion } : {}) }),
    spanProcessors: processors,
  });
  const tracer = provider.getTracer('manga-assist');
  return {
    startMessage: (attributes) => messageTrace(tracer, attributes),
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}

function messageTrace(tracer: Tracer, attributes: Attributes): MessageTrace {
  const root = tracer.startSpan('chat.message', { kind: SpanKind.SERVER, attributes });
  const parent = trace.setSpan(context.active(), root);
  const recording = root.isRecording();
  return {
    traceId: root.spanContext().traceId,
    segment(name, startMs, endMs, attrs) {
      if (!recording) return;
      tracer.startSpan(name, { startTime: startMs, attributes: { 'segment.name': name, ...attrs } }, parent).end(endMs);
    },
    async call(name, attrs, run) {
      // An unrecorded trace has no span to enter: entering its context cost an AsyncLocalStorage
      // frame per downstream call (every call of every message when nothing is exported). Its id
      // still reaches the `end` frame and the pipeline's own log lines, which add it themselves.
      if (!recording) return run(NO_CALL_SPAN);
      const span = tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes: attrs }, parent);
      const handle: CallSpan = {
        set: (a) => span.setAttributes(a),
        fail: (reason) => span.setStatus({ code: SpanStatusCode.ERROR, message: reason }),
      };
      try {
        return await context.with(trace.setSpan(parent, span), () => run(handle));
      } catch (error) {
        failed(span, error);
        throw error;
      } finally {
        span.end();
      }
    },
    set(a) {
      if (recording) root.setAttributes(a);
    },
    end(error) {
      if (error !== undefined) failed(root, error);
      root.end();
    },
  };
}

const NO_CALL_SPAN: CallSpan = { set: () => {}, fail: () => {} };

/** A trace that records nothing: its calls run as they are, with no span and no context to enter. */
function unrecordedTrace(traceId: string): MessageTrace {
  return { traceId, segment: NOTHING, call: (_name, _attrs, run) => run(NO_CALL_SPAN), set: NOTHING, end: NOTHING };
}
const NOTHING = () => {};

/** A trace that records nothing (pipeline tests without tracing). Its id is all zeros, the W3C "invalid" id. */
export const NO_TRACE: MessageTrace = unrecordedTrace('00000000000000000000000000000000');

function failed(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

/**
 * A batch processor whose OTLP exporter is imported on first use (the constructor must stay
 * synchronous). Spans finished before the import completes are buffered by the batch processor
 * that replaces this one, so none are lost.
 */
function lazyOtlpProcessor(url: string): SpanProcessor {
  let inner: SpanProcessor | undefined;
  const early: Parameters<SpanProcessor['onEnd']>[0][] = [];
  const ready = import('@opentelemetry/exporter-trace-otlp-http').then(({ OTLPTraceExporter }) => {
    inner = new BatchSpanProcessor(new OTLPTraceExporter({ url, timeoutMillis: 10_000 }), { maxQueueSize: 8192, scheduledDelayMillis: 1000 });
    for (const s of early.splice(0)) inner.onEnd(s);
  });
  return {
    onStart: (span, ctx) => inner?.onStart(span, ctx),
    onEnd: (span) => {
      if (inner) inner.onEnd(span);
      else if (early.length < 8192) early.push(span);
    },
    async forceFlush() {
      await ready;
      await inner!.forceFlush();
    },
    async shutdown() {
      await ready;
      await inner!.shutdown();
    },
  };
}
