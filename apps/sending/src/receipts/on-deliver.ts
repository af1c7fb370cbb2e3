import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import type { Db } from '@sabia/db';
import type { Logger } from '@sabia/logger';
import { parseReceipt, TRACE_TLV_TAG } from '@sabia/smpp';
import type smpp from 'smpp';
import { recordReply } from '../replies/record-reply';
import type { ReceiptBatcher } from './receipt-batcher';

const tracer = trace.getTracer('@sabia/sending');
const ESM_CLASS_RECEIPT = 0x04;

/** The text of a deliver_sm as the smpp package decoded it (short_message, or message_payload). */
function textOf(pdu: smpp.Pdu): string {
  for (const field of [pdu.short_message, pdu.message_payload]) {
    const message = (field as { message?: unknown } | undefined)?.message ?? field;
    if (typeof message === 'string' && message !== '') return message;
    if (Buffer.isBuffer(message) && message.length > 0) return message.toString('utf8');
  }
  return '';
}

/** A numeric source address is an international number without its "+" (as SMSCs send them); anything else stays as it is. */
const fromAddress = (pdu: smpp.Pdu): string => {
  const addr = String(pdu.source_addr ?? '');
  return /^\d+$/.test(addr) ? `+${addr}` : addr;
};

/** Handles a deliver_sm from the SMSC: a receipt (esm_class 0x04) or a user's reply (MO). */
export function onDeliver(db: Db, receipts: ReceiptBatcher, carrier: string, logger: Logger) {
  return async (pdu: smpp.Pdu): Promise<void> => {
    const carrierTrace = typeof pdu[TRACE_TLV_TAG] === 'string' ? { traceparent: pdu[TRACE_TLV_TAG] as string } : {};
    const parent = propagation.extract(context.active(), carrierTrace);
    const isReceipt = ((pdu.esm_class as number) & ESM_CLASS_RECEIPT) !== 0;
    const span = tracer.startSpan(isReceipt ? 'smpp receive receipt' : 'smpp receive mo', { kind: SpanKind.CONSUMER }, parent);
    try {
      await context.with(trace.setSpan(parent, span), async () => {
        if (!isReceipt) {
          const reply = await recordReply(db, { carrier, from: fromAddress(pdu), to: String(pdu.destination_addr ?? ''), text: textOf(pdu), receivedAt: new Date() });
          span.setAttribute('sabia.reply_action', reply.action || 'none');
          return;
        }
        const text = textOf(pdu);
        const parsed = parseReceipt(text);
        const carrierMessageId = String(pdu.receipted_message_id ?? parsed?.id ?? '');
        if (!parsed || !carrierMessageId) {
          logger.warn({ carrierMessageId }, 'unparseable delivery receipt; acknowledged and ignored');
          return;
        }
        span.setAttribute('sabia.carrier_message_id', carrierMessageId);
        const outcome = await receipts.add({
          carrier,
          carrierMessageId,
          receipt: { stat: parsed.stat, err: parsed.err, doneAt: (parsed.doneDate ?? new Date()).toISOString() },
          traceContext: context.active(),
        });
        span.setAttribute('sabia.receipt_outcome', outcome);
      });
    } finally {
      span.end();
    }
  };
}
