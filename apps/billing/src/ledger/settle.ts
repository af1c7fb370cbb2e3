import { eachKey, type Tx } from '@sabia/db';
import { sql } from 'drizzle-orm';
import { accounts, incidentWindows, transfers } from '../db';
import { transferId } from './transfer-ids';

export type Settlement = 'post' | 'void';
export type Decision = Settlement | ((part: number) => Settlement);

/**
 * Posts (carrier accepted the part: SENT_SUCCESS) or voids (any other outcome) every pending
 * part of the given messages; each message's decision may differ per part. A settlement is a
 * transfer with a derived id and a unique pending_id, so the first settlement of a part wins
 * for ever: settling twice, or posting after a void, inserts nothing and changes no balance.
 * A part reserved inside a declared incident window is voided; one reserved ahead (sending's
 * pool) when the span in which its message was accepted meets the window. A release (the
 * message will never be sent) is a plain void, never put down to an incident; so is the timeout
 * of a reservation made ahead.
 * One statement reads the pendings, one inserts the settlements, one moves each account's
 * balances, whatever the number of messages. Returns the number of parts settled now.
 */
export async function settleMessages(tx: Tx, decisions: Map<string, Decision>, opts: { released?: boolean; timedOut?: boolean } = {}): Promise<number> {
  if (decisions.size === 0) return 0;
  const pendings = await tx
    .select()
    .from(transfers)
    // By primary key, the ids found per message first (eachKey: index probes, whatever the statistics).
    .where(
      sql`${transfers.id} = any(array(select x.id from ${eachKey(
        sql`unnest(${sql.param([...decisions.keys()])}::text[]) as k(id)`,
        sql`select id from ${transfers} where message_id = k.id and kind = 'pending'`,
        'x',
      )}))`,
    )
    .orderBy(transfers.messageId, transfers.part);
  if (pendings.length === 0) return 0;
  const windows = opts.released ? [] : await tx.select().from(incidentWindows);
  const byAccountUnits = new Map<string, { pending: bigint; posted: bigint }>();
  const rows = pendings.map((pending) => {
    const decision = decisions.get(pending.messageId!)!;
    // Reserved inside a declared incident window: never posted, whatever the carrier said.
    // A reservation made ahead that timed out unanswered may never have had a message: like a
    // release, nothing an incident spared (declare-window.ts leaves those to their answer too).
    // (A release read no windows at all.)
    const plain = opts.timedOut && pending.usableUntil !== null;
    const incident = plain ? undefined : windowOf(windows, pending.createdAt, pending.carrier, pending.usableUntil);
    const action = incident ? 'void' : typeof decision === 'function' ? decision(pending.part!) : decision;
    return { pending, action, incidentId: incident?.incidentId ?? null };
  });
  // One array parameter per column: a batch of thousands of settlements is one cheap statement.
  const col = <T>(pick: (r: (typeof rows)[number]) => T) => sql.param(rows.map(pick));
  const inserted = await tx.execute<{ amount: string; debit_account_id: string; kind: string; pending_id: string }>(sql`
    insert into ${transfers} (id, tenant_id, debit_account_id, credit_account_id, amount, currency, kind, pending_id, message_id, part, incident_id, subaccount_id, channel, country, carrier)
    select * from unnest(${col((r) => transferId(r.pending.messageId!, r.pending.part!, r.action))}::text[], ${col((r) => r.pending.tenantId)}::text[],
      ${col((r) => r.pending.debitAccountId)}::text[], ${col((r) => r.pending.creditAccountId)}::text[], ${col((r) => r.pending.amount.toString())}::bigint[],
      ${col((r) => r.pending.currency)}::text[], ${col((r) => (r.action === 'post' ? 'post_pending' : 'void_pending'))}::text[], ${col((r) => r.pending.id)}::text[],
      ${col((r) => r.pending.messageId)}::text[], ${col((r) => r.pending.part)}::integer[], ${col((r) => r.incidentId)}::text[],
      ${col((r) => r.pending.subaccountId)}::text[], ${col((r) => r.pending.channel)}::text[], ${col((r) => r.pending.country)}::text[], ${col((r) => r.pending.carrier)}::text[])
    on conflict do nothing
    returning amount, debit_account_id, kind, pending_id`);
  const settled = inserted.rows.map((r) => ({ amount: BigInt(r.amount), debitAccountId: r.debit_account_id, kind: r.kind, pendingId: r.pending_id }));
  if (settled.length === 0) return 0;
  // Quota units move with the money: a posted part is used, a voided one given back.
  const quotaOf = new Map(pendings.map((p) => [p.id, p.quotaAccountId]));
  for (const t of settled) {
    const quota = quotaOf.get(t.pendingId!);
    if (!quota) continue;
    const sums = byAccountUnits.get(quota) ?? { pending: 0n, posted: 0n };
    sums.pending += 1n;
    if (t.kind === 'post_pending') sums.posted += 1n;
    byAccountUnits.set(quota, sums);
  }
  const byAccount = new Map<string, { pending: bigint; posted: bigint }>(byAccountUnits);
  for (const t of settled) {
    const sums = byAccount.get(t.debitAccountId) ?? { pending: 0n, posted: 0n };
    sums.pending += t.amount;
    if (t.kind === 'post_pending') sums.posted += t.amount;
    byAccount.set(t.debitAccountId, sums);
  }
  // Accounts locked in id order first, so concurrent settlements never wait on each other in a cycle.
  const ids = [...byAccount.keys()].sort();
  await tx.execute(sql`select 1 from ${accounts} where id = any(${sql.param(ids)}::text[]) order by id for update`);
  await tx.execute(sql`
    update ${accounts} a set debits_pending = a.debits_pending - t.pending, debits_posted = a.debits_posted + t.posted
    from unnest(${sql.param(ids)}::text[], ${sql.param(ids.map((id) => byAccount.get(id)!.pending.toString()))}::bigint[],
      ${sql.param(ids.map((id) => byAccount.get(id)!.posted.toString()))}::bigint[]) as t(id, pending, posted)
    where a.id = t.id`);
  return settled.length;
}

type Window = typeof incidentWindows.$inferSelect;

/**
 * The declared incident window a reservation made at `at` through `carrier` falls in, if any.
 * One made ahead was taken by its message some time up to `usableUntil`: any window meeting
 * that span counts (at its edges a message may go unbilled; inside it none is ever billed).
 */
export function windowOf(windows: readonly Window[], at: Date, carrier: string | null, usableUntil?: Date | null): Window | undefined {
  const last = usableUntil ?? at;
  return windows.find(
    (w) => last >= w.startsAt && (w.endsAt === null || at < w.endsAt) && (w.carriers.length === 0 || (carrier !== null && w.carriers.includes(carrier))),
  );
}

/** One message (tests, tools). */
export const settleMessage = (tx: Tx, messageId: string, action: Decision): Promise<number> => settleMessages(tx, new Map([[messageId, action]]));
