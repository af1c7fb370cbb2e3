import { context, propagation, trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeTraceId, startTelemetry, type Telemetry } from './start-telemetry';

// With no collector configured (no OTEL_EXPORTER_OTLP_*ENDPOINT), nothing is recorded, yet every
// span still has a real trace id that records keep and W3C headers carry on.
describe('telemetry with no exporter', () => {
  let telemetry: Telemetry;
  beforeAll(() => {
    delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    delete process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
    telemetry = startTelemetry('telemetry-test');
  });
  afterAll(async () => {
    await telemetry.shutdown();
    trace.disable();
    propagation.disable();
    context.disable();
  });

  it('records no span, but gives each a trace id that activeTraceId returns and propagation carries', () => {
    const span = trace.getTracer('test').startSpan('work');
    expect(span.isRecording()).toBe(false);
    const { traceId } = span.spanContext();
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(traceId).not.toBe('0'.repeat(32));

    const active = trace.setSpan(context.active(), span);
    expect(context.with(active, () => activeTraceId())).toBe(traceId);
    const headers: Record<string, string> = {};
    propagation.inject(active, headers);
    expect(headers.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-00$`));
    span.end();
  });

  it('continues the trace it is given: a child of an incoming context keeps its trace id', () => {
    const parentTraceId = 'a'.repeat(32);
    const incoming = propagation.extract(context.active(), { traceparent: `00-${parentTraceId}-${'b'.repeat(16)}-01` });
    const child = trace.getTracer('test').startSpan('consume', {}, incoming);
    expect(child.isRecording()).toBe(false);
    expect(child.spanContext().traceId).toBe(parentTraceId);
    child.end();
  });
});
