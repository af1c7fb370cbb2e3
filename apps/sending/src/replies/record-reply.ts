import { enqueueEvents, SUBJECTS } from '@sabia/bus';
import { encodeMessage, sendingEvents } from '@sabia/contracts';
import type { Db } from '@sabia/db';
import { uuidv7 } from '@sabia/db';
import { and, desc, eq } from 'drizzle-orm';
import { getSettings } from '../customers/get-settings';
import { messages, optOuts, outbox, replies } from '../db';
import { replyAction } from './keywords';

export interface IncomingReply {
  carrier: string;
  /** E.164 */
  from: string;
  to: string;
  text: string;
  receivedAt: Date;
}

/**
 * A user's reply (MO). It joins the conversation of the last message we sent to that number,
 * whose subaccount owns it; an opt-out keyword puts the number on that subaccount's opt-out
 * list (the next send gets 204), an opt-in keyword takes it off. Stored and announced in one
 * transaction (status-tracking forwards it to the MO URL), so an SMSC redelivering it after a
 * crash is the only way to see it twice. Replies that match no conversation are kept too.
 */
export async function recordReply(db: Db, reply: IncomingReply) {
  return db.transaction(async (tx) => {
    const [last] = await tx
      .select({ id: messages.id, accountId: messages.accountId, subaccountId: messages.subaccountId, correlationId: messages.correlationId })
      .from(messages)
      .where(eq(messages.to, reply.from))
      .orderBy(desc(messages.createdAt))
      .limit(1);
    const settings = last ? (await getSettings(tx, last.accountId, last.subaccountId)).settings : undefined;
    const action = settings ? replyAction(reply.text, settings) : '';
    if (last && action === 'opt_out') {
      await tx
        .insert(optOuts)
        .values({ accountId: last.accountId, subaccountId: last.subaccountId, number: reply.from, addedBy: `reply:${reply.text.trim().slice(0, 30)}` })
        .onConflictDoNothing();
    } else if (last && action === 'opt_in') {
      await tx
        .delete(optOuts)
        .where(and(eq(optOuts.accountId, last.accountId), eq(optOuts.subaccountId, last.subaccountId), eq(optOuts.number, reply.from)));
    }
    const id = uuidv7();
    const row = { id, ...reply, messageId: last?.id ?? null, accountId: last?.accountId ?? '', subaccountId: last?.subaccountId ?? '', action };
    await tx.insert(replies).values(row);
    const payload = encodeMessage(sendingEvents.ReplyReceived, {
      replyId: id,
      accountId: row.accountId,
      subaccountId: row.subaccountId,
      from: reply.from,
      to: reply.to,
      text: reply.text,
      receivedAt: reply.receivedAt,
      messageId: row.messageId ?? '',
      moUrl: settings?.moUrl ?? '',
      action,
      carrier: reply.carrier,
      correlationId: last?.correlationId ?? '',
    });
    await enqueueEvents(tx, outbox, [{ subject: SUBJECTS.replyReceived, payload }]);
    return row;
  });
}
