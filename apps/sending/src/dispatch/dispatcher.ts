import { context, propagation } from '@opentelemetry/api';
import { decodeEvent, startConsumer, SUBJECTS, type Bus } from '@sabia/bus';
import { sendingEvents } from '@sabia/contracts';
import type { Db } from '@sabia/db';
import type { Logger } from '@sabia/logger';
import { splitMessage, type Encoding } from '@sabia/sms-encoding';
import { SENT_STATUS } from '@sabia/status-codes';
import { asc, eq } from 'drizzle-orm';
import { messageParts } from '../db';
import type { MessageRow } from '../messages/message';
import type { Router } from '../routing/router';
import type { CarrierBinds } from '../smpp/carrier-binds';
import { claimMessage } from './claim-message';
import { concatReference } from './concat-reference';
import { finishSubmission } from './finish-submission';
import { recordPart } from './record-part';
import { submitOutcome } from './submit-outcome';

const MAX_ATTEMPTS = 8;

export interface DispatcherDeps {
  db: Db;
  bus: Bus;
  router: Router;
  binds: CarrierBinds;
  sourceAddr: string;
  logger: Logger;
}

/**
 * Submits accepted messages to their carrier, part by part through one bind, in order:
 * concatenated parts with a UDH, or "(i/n)" parts for a carrier that cannot concatenate.
 * Each part's answer is recorded before the next leaves, so a redelivered event resumes where
 * the last one stopped. A refused part stops the message (its remaining parts would arrive
 * incomplete anyway). Cancelled and already answered messages are skipped (claimMessage); a
 * message past its validity ends as 101 without being submitted; transport errors are retried
 * with backoff, and when the attempts run out the unsent parts end as 102.
 */
export function startDispatcher(deps: DispatcherDeps) {
  const { db, logger } = deps;
  return startConsumer({
    bus: deps.bus,
    logger,
    concurrency: deps.binds.totalWindow,
    spec: { domain: 'sending', durable: 'sending-dispatcher', subject: SUBJECTS.messageAccepted, maxDeliver: MAX_ATTEMPTS },
    async handle(event) {
      const accepted = decodeEvent(sendingEvents.MessageAccepted, event.data, 'MessageAccepted');
      const row = await claimMessage(db, accepted.messageId);
      if (!row) return; // cancelled, or already answered (a redelivery)
      // The carrier chosen at acceptance; if it left the carriers file since, route again.
      const carrier = deps.router.carrier(row.carrier ?? '') ?? deps.router.route(row.to);
      const finish = (unsent: number, totalParts = row.parts) =>
        finishSubmission(db, { messageId: row.id, carrier: carrier?.id ?? row.carrier ?? '', totalParts, unsent });
      if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) return void (await finish(SENT_STATUS.EXPIRED));
      const bind = carrier && deps.binds.bindFor(carrier.id);
      if (!carrier || !bind) {
        logger.error({ messageId: row.id, carrier: row.carrier }, 'no carrier or bind for an accepted message');
        return void (await finish(SENT_STATUS.CARRIER_COMMUNICATION_ERROR));
      }

      const reference = carrier.concatenates && row.parts > 1 ? await concatReference(db, row) : 0;
      const { parts, dataCoding } = splitMessage(row.text, {
        reference,
        concatenate: carrier.concatenates,
        forceEncoding: row.encoding as Encoding,
      });
      const done = await answeredParts(db, row);
      const trace = { traceparent: '' };
      propagation.inject(context.active(), trace);
      try {
        for (const part of parts) {
          const earlier = done.get(part.index);
          if (earlier !== undefined && earlier !== SENT_STATUS.SENT_SUCCESS) break;
          if (earlier !== undefined) continue;
          const result = await bind.submit({
            to: row.to,
            from: deps.sourceAddr,
            shortMessage: part.shortMessage,
            dataCoding,
            udh: part.udh !== undefined,
            traceparent: trace.traceparent || undefined,
          });
          const outcome = submitOutcome(result.commandStatus);
          if (outcome.kind === 'retry') throw new Error(`carrier asked to retry: ${outcome.reason}`);
          await recordPart(db, { message: row, part: part.index, carrier: carrier.id, carrierMessageId: result.messageId, sentStatus: outcome.sentStatus });
          done.set(part.index, outcome.sentStatus);
          if (outcome.sentStatus !== SENT_STATUS.SENT_SUCCESS) break;
        }
      } catch (err) {
        if (event.deliveryCount < MAX_ATTEMPTS) throw err;
        logger.error({ err, messageId: row.id }, 'giving up on submit');
        return void (await finish(SENT_STATUS.CARRIER_COMMUNICATION_ERROR, parts.length));
      }
      // Parts after a refused one were never sent: they share its fate.
      const refused = [...done.values()].find((s) => s !== SENT_STATUS.SENT_SUCCESS);
      await finish(refused ?? SENT_STATUS.SENT_SUCCESS, parts.length);
    },
  });
}

async function answeredParts(db: Db, row: MessageRow): Promise<Map<number, number>> {
  const rows = await db
    .select({ part: messageParts.part, sentStatus: messageParts.sentStatus })
    .from(messageParts)
    .where(eq(messageParts.messageId, row.id))
    .orderBy(asc(messageParts.part));
  return new Map(rows.map((r) => [r.part, r.sentStatus]));
}
