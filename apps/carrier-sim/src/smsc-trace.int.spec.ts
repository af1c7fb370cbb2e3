import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanKind, context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import pino from 'pino';
import smpp from 'smpp';
import { TRACE_TLV_TAG, startSmsc, type Smsc } from './index';
import { connectEsme, type TestEsme } from './testing/esme';

// What the SDK does in production (libs/platform/telemetry): here with an in-memory exporter.
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

// The sender's side of the trace: the span that submitted the message.
const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const senderSpanId = '00f067aa0ba902b7';

describe('carrier-sim trace propagation over SMPP', () => {
  let smsc: Smsc;
  let esme: TestEsme;

  beforeAll(async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(provider);
    smsc = await startSmsc({
      host: '127.0.0.1',
      port: 0,
      accounts: [{ systemId: 'sabia', password: 'sabia', profile: { submitDelayMs: 5, receiptDelayMs: 10, sendsReceipts: true, deliveredShare: 1 } }],
      logger: pino({ level: 'silent' }),
    });
    esme = await connectEsme(smsc.port);
    expect((await esme.request('bind_transceiver', { system_id: 'sabia', password: 'sabia' })).command_status).toBe(0);
  });

  afterAll(async () => {
    await esme.close();
    await smsc.close();
    await provider.shutdown();
    trace.disable();
    propagation.disable();
    context.disable();
  });

  it('continues the sender trace in a SERVER span for submit_sm and a PRODUCER span for the receipt', async () => {
    const resp = await esme.request('submit_sm', {
      destination_addr: '5511987654321',
      registered_delivery: 1,
      short_message: 'segredo 123456',
      [TRACE_TLV_TAG]: `00-${traceId}-${senderSpanId}-01`,
    });
    expect(resp.command_status).toBe(smpp.errors.ESME_ROK);
    const receipt = await esme.nextDeliver();
    await expect.poll(() => exporter.getFinishedSpans().length).toBe(2);

    const spans = exporter.getFinishedSpans();
    const submitSpan = spans.find((span) => span.name === 'smsc submit_sm');
    const receiptSpan = spans.find((span) => span.name === 'smsc deliver_sm receipt');
    expect(submitSpan?.kind).toBe(SpanKind.SERVER);
    expect(receiptSpan?.kind).toBe(SpanKind.PRODUCER);
    for (const span of [submitSpan, receiptSpan]) {
      expect(span?.spanContext().traceId).toBe(traceId);
      expect(span?.parentSpanContext?.spanId).toBe(senderSpanId);
      expect(span?.attributes).toMatchObject({ 'sabia.smpp.message_id': resp['message_id'], 'sabia.smpp.command_status': 0 });
      // Never the message text on a span.
      expect(JSON.stringify(span?.attributes)).not.toContain('segredo');
    }
    // The receipt carries the PRODUCER span's own context, so the sender can continue from it.
    expect(receipt[TRACE_TLV_TAG]).toBe(`00-${traceId}-${receiptSpan?.spanContext().spanId}-01`);
  });

  it('starts no trace for a submit without a traceparent', async () => {
    exporter.reset();
    const resp = await esme.request('submit_sm', { destination_addr: '5511987654321', registered_delivery: 1, short_message: 'oi' });
    const receipt = await esme.nextDeliver((pdu) => pdu['receipted_message_id'] === resp['message_id']);
    expect(receipt[TRACE_TLV_TAG]).toBeUndefined();
    expect(exporter.getFinishedSpans()).toHaveLength(0);
  });
});
