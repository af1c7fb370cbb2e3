import { context, propagation } from '@opentelemetry/api';
import { decodeEvent, startConsumer, SUBJECTS, type Bus } from '@sabia/bus';
import { sendingEvents } from '@sabia/contracts';
import type { Db } from '@sabia/db';
import type { Logger } from '@sabia/logger';
import { SENT_STATUS } from '@sabia/status-codes';
import type { SmppBind } from '../smpp/smpp-bind';
import { claimMessage } from './claim-message';
import { recordSubmit } from './record-submit';
import { submitOutcome } from './submit-outcome';

const MAX_ATTEMPTS = 8;

/**
 * Submits accepted messages to the carrier. Redeliveries of a message already answered, and
 * cancelled messages, are skipped (claimMessage); a message past its validity ends as 101
 * without being submitted; throttling and transport errors are retried with
 * backoff; when the attempts run out the message ends as 102 CARRIER_COMMUNICATION_ERROR.
 */
export function startDispatcher(opts: { db: Db; bus: Bus; bind: SmppBind; carrier: string; sourceAddr: string; window: number; logger: Logger }) {
  return startConsumer({
    bus: opts.bus,
    logger: opts.logger,
    concurrency: opts.window,
    spec: { domain: 'sending', durable: 'sending-dispatcher', subject: SUBJECTS.messageAccepted, maxDeliver: MAX_ATTEMPTS },
    async handle(event) {
      const accepted = decodeEvent(sendingEvents.MessageAccepted, event.data, 'MessageAccepted');
      const row = await claimMessage(opts.db, accepted.messageId);
      if (!row) return; // cancelled, or already answered (a redelivery)
      if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) {
        await recordSubmit(opts.db, { messageId: row.id, carrier: opts.carrier, carrierMessageId: '', sentStatus: SENT_STATUS.EXPIRED });
        return;
      }

      const carrier = { traceparent: '' };
      propagation.inject(context.active(), carrier);
      try {
        const result = await opts.bind.submit({ to: row.to, from: opts.sourceAddr, text: row.text, traceparent: carrier.traceparent || undefined });
        const outcome = submitOutcome(result.commandStatus);
        if (outcome.kind === 'retry') throw new Error(`carrier asked to retry: ${outcome.reason}`);
        await recordSubmit(opts.db, { messageId: row.id, carrier: opts.carrier, carrierMessageId: result.messageId, sentStatus: outcome.sentStatus });
      } catch (err) {
        if (event.deliveryCount < MAX_ATTEMPTS) throw err;
        opts.logger.error({ err, messageId: row.id }, 'giving up on submit');
        await recordSubmit(opts.db, { messageId: row.id, carrier: opts.carrier, carrierMessageId: '', sentStatus: SENT_STATUS.CARRIER_COMMUNICATION_ERROR });
      }
    },
  });
}
