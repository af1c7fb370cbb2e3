import { enqueueEvents, SUBJECTS, type OutgoingEvent } from '@sabia/bus';
import { sendingEvents } from '@sabia/contracts';
import type { Tx } from '@sabia/db';
import { outbox } from '../db';
import { insertMessages } from '../db/insert-messages';
import type { Refusal } from './acceptance';
import type { NewMessageRow } from './draft-message';
import type { MessageRow } from './message';
import { messageSentEvent } from './message-sent-event';

export interface Decided {
  row: NewMessageRow;
  refusal?: Refusal;
}

/**
 * Stores decided messages and their events in the same transaction, one statement each:
 * accepted ones announce MessageAccepted (the dispatcher submits them), refused ones
 * MessageSent with their code (status tracking records it; nothing is submitted or billed).
 */
export async function storeMessages(tx: Tx, decided: Decided[]): Promise<MessageRow[]> {
  const createdAt = new Date();
  const stored: MessageRow[] = decided.map(({ row, refusal }) => ({
    ...row,
    state: refusal ? 'refused' : 'accepted',
    sentStatus: refusal?.code ?? null,
    refusalReason: refusal?.reason ?? null,
    refusalDeliveredStatus: refusal?.deliveredStatus ?? null,
    carrierMessageId: null,
    concatReference: null,
    createdAt,
    submittedAt: null,
  }));
  await insertMessages(tx, stored);
  const events: OutgoingEvent[] = stored.map((row) =>
    row.state === 'refused'
      ? { subject: SUBJECTS.messageSent, payload: messageSentEvent(row) }
      : {
          subject: SUBJECTS.messageAccepted,
          payload: sendingEvents.MessageAccepted.encode({
            messageId: row.id,
            accountId: row.accountId,
            subaccountId: row.subaccountId,
            to: row.to,
            parts: row.parts,
            acceptedAt: createdAt,
          }).finish(),
        },
  );
  await enqueueEvents(tx, outbox, events);
  return stored;
}
