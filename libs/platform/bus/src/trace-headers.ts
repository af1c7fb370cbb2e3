import { context, propagation, type Context } from '@opentelemetry/api';
import type { MsgHdrs } from '@nats-io/nats-core';

// There is no NATS auto-instrumentation for JS, so trace context crosses the bus by hand,
// as the OpenTelemetry demo does for Kafka: W3C headers injected at publish, extracted at consume.

export function currentTraceHeaders(ctx: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier;
}

export function contextFromRecord(carrier: Record<string, string>): Context {
  return propagation.extract(context.active(), carrier);
}

export function contextFromNatsHeaders(hdrs: MsgHdrs | undefined): Context {
  const carrier: Record<string, string> = {};
  for (const key of ['traceparent', 'tracestate', 'baggage']) {
    const value = hdrs?.get(key);
    if (value) carrier[key] = value;
  }
  return propagation.extract(context.active(), carrier);
}
