import { applyOnce, decodeEvent, startConsumer, SUBJECTS, type Bus } from '@sabia/bus';
import { SentStatus, statusEvents } from '@sabia/contracts';
import type { Db } from '@sabia/db';
import type { Logger } from '@sabia/logger';
import { isBillable } from '@sabia/status-codes';
import { processedEvents } from '../db';
import { settleMessage, type Settlement } from '../ledger/settle';

const CONSUMER = 'billing-status-changed';

/**
 * Settles reservations from the first level, part by part: a part the carrier accepted
 * (SENT_SUCCESS) is posted, every other part voided; without part statuses (a message refused
 * before submission) the message's own first level decides. Second-level changes never
 * touch money.
 */
export function startStatusChangedConsumer(db: Db, bus: Bus, logger: Logger) {
  return startConsumer({
    bus,
    logger,
    spec: { domain: 'status', durable: CONSUMER, subject: SUBJECTS.statusChanged },
    async handle(event) {
      const change = decodeEvent(statusEvents.StatusChanged, event.data, 'StatusChanged');
      if (change.sentStatus === SentStatus.SENT_STATUS_UNSPECIFIED) return;
      await db.transaction(async (tx) => {
        if (!(await applyOnce(tx, processedEvents, CONSUMER, event.id))) return;
        const byPart = new Map(change.partStatuses.map((p) => [p.part, p.sentStatus]));
        const messageAction = isBillable(change.sentStatus) ? 'post' : 'void';
        const action = (part: number): Settlement => {
          const partStatus = byPart.get(part);
          if (partStatus === undefined) return byPart.size > 0 ? 'void' : messageAction;
          return isBillable(partStatus) ? 'post' : 'void';
        };
        const parts = await settleMessage(tx, change.messageId, action);
        logger.debug({ messageId: change.messageId, parts }, 'reservation settled');
      });
    },
  });
}
