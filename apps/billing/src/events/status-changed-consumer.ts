import { decodeEvent, startBatchConsumer, SUBJECTS, type Bus } from '@sabia/bus';
import { SentStatus, statusEvents } from '@sabia/contracts';
import type { Db } from '@sabia/db';
import type { Logger } from '@sabia/logger';
import { isBillable } from '@sabia/status-codes';
import { settleMessages, type Decision, type Settlement } from '../ledger/settle';

const CONSUMER = 'billing-status-changed';

/** What a first level means for each part's reservation. */
function decisionOf(change: statusEvents.StatusChanged): Decision {
  const byPart = new Map(change.partStatuses.map((p) => [p.part, p.sentStatus]));
  const messageAction: Settlement = isBillable(change.sentStatus) ? 'post' : 'void';
  return (part: number) => {
    const partStatus = byPart.get(part);
    if (partStatus === undefined) return byPart.size > 0 ? 'void' : messageAction;
    return isBillable(partStatus) ? 'post' : 'void';
  };
}

/**
 * Settles reservations from the first level, part by part: a part the carrier accepted
 * (SENT_SUCCESS) is posted, every other part voided; without part statuses (a message refused
 * before submission) the message's own first level decides. Second-level changes never
 * touch money. Events are settled in batches, one transaction each.
 *
 * No processed-event row per event: a settlement is idempotent by construction (its transfer id
 * is derived from the message, the part and the action, and a pending transfer takes one
 * settlement for ever), so a redelivered event inserts nothing and moves no balance.
 */
export function startStatusChangedConsumer(db: Db, bus: Bus, logger: Logger) {
  return startBatchConsumer({
    bus,
    logger,
    spec: { domain: 'status', durable: CONSUMER, subject: SUBJECTS.statusChanged },
    handleBatch: async (events) => {
      const changes = events.map((e) => ({ id: e.id, change: decodeEvent(statusEvents.StatusChanged, e.data, 'StatusChanged') }));
      const firstLevels = changes.filter((c) => c.change.sentStatus !== SentStatus.SENT_STATUS_UNSPECIFIED);
      await db.transaction(async (tx) => {
        const decisions = new Map<string, Decision>();
        for (const c of firstLevels) decisions.set(c.change.messageId, decisionOf(c.change));
        const parts = await settleMessages(tx, decisions);
        logger.debug({ messages: decisions.size, parts }, 'reservations settled');
      });
      return events.map(() => 'ok' as const);
    },
  });
}
