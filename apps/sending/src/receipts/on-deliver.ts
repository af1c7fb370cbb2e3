import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import type { Db } from '@sabia/db';
import type { Logger } from '@sabia/logger';
import { parseReceipt, TRACE_TLV_TAG } from '@sabia/smpp';
import type smpp from 'smpp';
import { recordReceipt } from './record-receipt';

const tracer = trace.getTracer('@sabia/sending');
const ESM_CLASS_RECEIPT = 0x04;

/** Handles a deliver_sm from the SMSC: receipts are recorded; MOs (issue 4) are logged for now. */
export function onDeliver(db: Db, carrier: string, logger: Logger) {
  return async (pdu: smpp.Pdu): Promise<void> => {
    const carrierTrace = typeof pdu[TRACE_TLV_TAG] === 'string' ? { traceparent: pdu[TRACE_TLV_TAG] as string } : {};
    const parent = propagation.extract(context.active(), carrierTrace);
    const isReceipt = ((pdu.esm_class as number) & ESM_CLASS_RECEIPT) !== 0;
    const span = tracer.startSpan(isReceipt ? 'smpp receive receipt' : 'smpp receive mo', { kind: SpanKind.CONSUMER }, parent);
    try {
      await context.with(trace.setSpan(parent, span), async () => {
        if (!isReceipt) {
          logger.info({ from: pdu.source_addr }, 'MO received (replies are handled in a later issue)');
          return;
        }
        const text = (pdu.short_message as { message?: string } | undefined)?.message ?? '';
        const parsed = parseReceipt(text);
        const carrierMessageId = String(pdu.receipted_message_id ?? parsed?.id ?? '');
        if (!parsed || !carrierMessageId) {
          logger.warn({ carrierMessageId }, 'unparseable delivery receipt; acknowledged and ignored');
          return;
        }
        span.setAttribute('sabia.carrier_message_id', carrierMessageId);
        const outcome = await recordReceipt(db, {
          carrier,
          carrierMessageId,
          receipt: { stat: parsed.stat, err: parsed.err, doneAt: (parsed.doneDate ?? new Date()).toISOString() },
        });
        span.setAttribute('sabia.receipt_outcome', outcome);
      });
    } finally {
      span.end();
    }
  };
}
