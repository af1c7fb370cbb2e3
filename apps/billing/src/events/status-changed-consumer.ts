import { applyOnce, decodeEvent, startConsumer, SUBJECTS, type Bus } from '@sabia/bus';
import { SentStatus, statusEvents } from '@sabia/contracts';
import type { Db } from '@sabia/db';
import type { Logger } from '@sabia/logger';
import { isBillable } from '@sabia/status-codes';
import { processedEvents } from '../db';
import { settleMessage } from '../ledger/settle';

const CONSUMER = 'billing-status-changed';

/**
 * Settles reservations from the first-level status: SENT_SUCCESS posts every part, any other
 * final first-level outcome voids them. Second-level changes never touch money.
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
        const action = isBillable(change.sentStatus) ? 'post' : 'void';
        const parts = await settleMessage(tx, change.messageId, action);
        logger.debug({ messageId: change.messageId, action, parts }, 'reservation settled');
      });
    },
  });
}
