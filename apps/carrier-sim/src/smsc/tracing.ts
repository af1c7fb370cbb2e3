import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  defaultTextMapGetter,
  defaultTextMapSetter,
  propagation,
  trace,
  type Context,
  type Span,
} from '@opentelemetry/api';

// Only @opentelemetry/api here: the SDK and the W3C propagator are installed by whoever runs us;
// without them every call below is a no-op.
const tracer = trace.getTracer('@sabia/carrier-sim');

/** Span attributes, all under sabia.* (STYLE §8). Never the message text. */
export const ATTR = {
  messageId: 'sabia.smpp.message_id',
  commandStatus: 'sabia.smpp.command_status',
} as const;

/**
 * The context a submit_sm's sabia_traceparent TLV points at, or undefined when the PDU carries
 * none (or one the propagator cannot read): then the simulator starts no trace of its own.
 */
export function extractSubmitContext(traceparent: unknown): Context | undefined {
  if (typeof traceparent !== 'string' || traceparent === '') return undefined;
  const extracted = propagation.extract(ROOT_CONTEXT, { traceparent }, defaultTextMapGetter);
  return trace.getSpanContext(extracted) ? extracted : undefined;
}

export function startSubmitSpan(parent: Context): Span {
  return tracer.startSpan('smsc submit_sm', { kind: SpanKind.SERVER }, parent);
}

/** Ends a span with the SMPP command_status it produced; undefined means no response came. */
export function endWithStatus(span: Span, commandStatus: number | undefined): void {
  if (commandStatus !== undefined) span.setAttribute(ATTR.commandStatus, commandStatus);
  if (commandStatus !== 0) {
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: commandStatus === undefined ? 'no response' : `command_status 0x${commandStatus.toString(16)}`,
    });
  }
  span.end();
}

/**
 * Starts the PRODUCER span of one deliver_sm receipt attempt and returns the traceparent to put in
 * the PDU, so the sender's receipt handling continues the same trace.
 */
export function startReceiptSpan(parent: Context, messageId: string): { span: Span; traceparent?: string } {
  const span = tracer.startSpan(
    'smsc deliver_sm receipt',
    { kind: SpanKind.PRODUCER, attributes: { [ATTR.messageId]: messageId } },
    parent,
  );
  const carrier: Record<string, string> = {};
  propagation.inject(trace.setSpan(parent, span), carrier, defaultTextMapSetter);
  return { span, traceparent: carrier['traceparent'] };
}
