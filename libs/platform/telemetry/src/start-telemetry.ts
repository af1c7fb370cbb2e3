import { trace, type Span } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { AlwaysOffSampler, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

export interface Telemetry {
  /** Flushes pending spans; call last in shutdown. */
  shutdown(): Promise<void>;
}

/** Keeps a tracer provider (and so real trace ids) when no exporter is configured. */
const discard: SpanProcessor = {
  onStart: () => undefined,
  onEnd: () => undefined,
  forceFlush: async () => undefined,
  shutdown: async () => undefined,
};

/**
 * Starts the OpenTelemetry SDK. Must run before grpc-js, pg and http are first required
 * (each app's src/instrument.ts is its main's first import), because instrumentation
 * patches modules as they load. Configuration is the standard OTEL_* variables, read by the
 * SDK itself: spans go to OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT when one is set.
 */
export function startTelemetry(serviceName: string): Telemetry {
  // This file is the one exception to "only config.ts reads process.env": these are the
  // SDK's own standard variables.
  const env = process.env;
  env.OTEL_LOGS_EXPORTER ??= 'none';
  env.OTEL_METRICS_EXPORTER ??= 'none';
  const exporting = Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME || serviceName }),
    spanProcessors: [exporting ? new BatchSpanProcessor(new OTLPTraceExporter()) : discard],
    // With nowhere to send spans, none is recorded: every span is a non-recording one that still
    // gets its trace id and carries it on (records keep their trace id, W3C headers cross NATS).
    // Recording spans only to drop them cost sending a fifth of its CPU per SendSms and a third
    // of what it promoted to V8's old generation. With an exporter, OTEL_TRACES_SAMPLER decides
    // (the SDK's default: parent-based, always on). So a service without a collector passes its
    // traces on as unsampled: configure a collector for every service or for none.
    ...(exporting ? {} : { sampler: new AlwaysOffSampler() }),
    instrumentations: [
      new GrpcInstrumentation({ ignoreGrpcMethods: ['Check', 'Watch', 'ServerReflectionInfo'] }),
      // requireParentSpan: pollers (outbox relay) would otherwise make a root span every second.
      // No span for taking a pooled connection: it says nothing an SRE reads, and it was a
      // second span for every query. Only when spans go somewhere: a query's span is a leaf
      // that carries no context on, so unrecorded it is only the cost of wrapping every query.
      ...(exporting ? [new PgInstrumentation({ enhancedDatabaseReporting: false, requireParentSpan: true, ignoreConnectSpans: true })] : []),
      // Incoming HTTP only (the status page, carrier-sim's control API). The outgoing requests
      // are the callback worker's posts to customers, which join no trace: each would start a
      // one-span trace, and the patch parsed every request's URL again (a tenth of the worker's CPU).
      new HttpInstrumentation({ disableOutgoingRequestInstrumentation: true }),
    ],
  });
  sdk.start();
  return {
    // Flushing must not hold a shutdown hostage: an unreachable collector gets 5 s at most.
    shutdown: () =>
      Promise.race([sdk.shutdown().catch(() => undefined), new Promise<void>((resolve) => setTimeout(resolve, 5_000).unref())]),
  };
}

/** The current trace id, stored on records so an SRE can go from a message to its trace. */
export function activeTraceId(): string {
  const span: Span | undefined = trace.getActiveSpan();
  const id = span?.spanContext().traceId;
  return id && id !== '00000000000000000000000000000000' ? id : '';
}
