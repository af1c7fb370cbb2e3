import { writeWithEvents, type OutgoingEvent } from '@sabia/bus';
import type { Tx } from '@sabia/db';
import { uuidv7 } from '@sabia/db';
import { sql, type SQL } from 'drizzle-orm';
import { callbacks, outbox, type messageStatus } from '../db';
import { statusCallbackPayload, type CallbackType } from './callback-payload';
import type { CallbackHandOff } from './callback-handoff';
import { leasedCallbackRow, type CallbackRow } from './callback-row';

export interface OwedCallback {
  type: CallbackType;
  row: typeof messageStatus.$inferSelect;
  at: Date;
}

/**
 * Owes the customer callbacks for these status changes, in the caller's transaction: the
 * changes and the promise to report them commit together. Messages without a callback URL owe
 * nothing. One statement for the lot; ids are uuid v7 in list order.
 *
 * One message's status callbacks go out in order ("sent" is never overtaken by "delivered"):
 * a callback behind an unfinished one of its message starts `waiting`, and becomes `pending`
 * when that one finishes (attempt-recorder.ts; the worker's sweep catches a finish that raced
 * with this insert). So the worker claims due rows straight off an index, never comparing a
 * candidate with the rest of the queue. Callers update the message's status row first, which
 * serialises the transactions that owe callbacks for one message.
 */
export async function enqueueStatusCallbacks(tx: Tx, owed: OwedCallback[]): Promise<void> {
  const statement = statusCallbacksInsert(owed)?.statement;
  if (statement) await tx.execute(statement);
}

/**
 * A batch's independent writes, its events and the callbacks it owes, in one statement
 * (writeWithEvents). Returns the callbacks leased to `handOff`, for its worker once the
 * transaction commits.
 */
export async function writeWithCallbacks(tx: Tx, writes: Array<SQL | undefined>, events: OutgoingEvent[], owed: OwedCallback[], handOff?: CallbackHandOff): Promise<CallbackRow[]> {
  const insert = statusCallbacksInsert(owed, handOff);
  const returned = await writeWithEvents(tx, outbox, writes, events, insert?.statement);
  return insert?.due(returned) ?? [];
}

/**
 * enqueueStatusCallbacks' INSERT (undefined when nothing is owed), for folding into a bigger
 * statement. With a hand-off, the first callbacks that are `pending` (not `waiting` behind an
 * earlier one), as many as it has room for, are leased to it; the statement returns a row per
 * callback, and `due` picks the leased ones out of its result as rows for the hand-off.
 */
function statusCallbacksInsert(owed: OwedCallback[], handOff?: CallbackHandOff) {
  const rows = owed
    .filter((o) => o.row.callbackUrl)
    .map((o) => ({
      id: uuidv7(),
      accountId: o.row.accountId,
      subaccountId: o.row.subaccountId,
      messageId: o.row.messageId,
      type: o.type,
      url: o.row.callbackUrl,
      payload: statusCallbackPayload(o.type, o.row, o.at),
    }));
  if (rows.length === 0) return undefined;
  // One array parameter per column (drizzle's multi-row insert would build one per cell).
  const col = <T>(pick: (r: (typeof rows)[number]) => T) => sql.param(rows.map(pick));
  const leased = Math.min(rows.length, handOff?.room() ?? 0);
  const leasedUntil = sql`now() + ${`${handOff?.leaseMs ?? 0} milliseconds`}::interval`;
  const statement = sql`
    insert into ${callbacks} (id, account_id, subaccount_id, message_id, type, url, payload, state, next_attempt_at)
    select t.id, t.account_id, t.subaccount_id, t.message_id, t.type, t.url, t.payload, t.state,
      case when t.state = 'pending' and t.i <= ${leased} then ${leasedUntil} else now() end
    from (
      select u.*, case when u.n > 1 or (${unfinishedBefore(sql`u.message_id`)}) then 'waiting' else 'pending' end as state
      from (
        select v.*, row_number() over (partition by v.message_id order by v.id) as n
        from unnest(${col((r) => r.id)}::uuid[], ${col((r) => r.accountId)}::text[], ${col((r) => r.subaccountId)}::text[],
          ${col((r) => r.messageId)}::uuid[], ${col((r) => r.type)}::text[], ${col((r) => r.url)}::text[], ${col((r) => r.payload)}::text[])
          with ordinality as v(id, account_id, subaccount_id, message_id, type, url, payload, i)
      ) u
    ) t
    -- leased: due after now() (the transaction's start, which created_at is too)
    returning case when next_attempt_at > created_at then id end as leased_id, next_attempt_at, created_at`;
  /** The callbacks of this insert leased to the hand-off, as its worker takes them, from the result. */
  const due = (returned: Array<Record<string, unknown>>): CallbackRow[] => {
    const byId = new Map(rows.map((r) => [r.id, r]));
    const taken: CallbackRow[] = [];
    for (const r of returned) {
      if (r.leased_id) taken.push(leasedCallbackRow(byId.get(String(r.leased_id))!, new Date(r.next_attempt_at as string), new Date(r.created_at as string)));
    }
    return taken;
  };
  return { statement, due };
}

/**
 * True when the message has an unfinished status callback (older than `before`, when given). A
 * scalar subquery (one index probe per row), never a join: with a fast-growing table's stale
 * statistics the planner once turned such a test into comparing every queued callback with
 * every other (1.8 s a claim at 130,000 queued).
 */
export function unfinishedBefore(messageId: SQL, before?: SQL) {
  return sql`(select 1 from ${callbacks} e where e.message_id = ${messageId} and e.state in ('pending', 'waiting') and e.type <> 'message.reply'${before ? sql` and e.id < ${before}` : sql``} limit 1) is not null`;
}
