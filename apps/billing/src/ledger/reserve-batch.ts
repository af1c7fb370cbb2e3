import { eachKey, type Db, type Tx } from '@sabia/db';
import { InvalidArgumentError } from '@sabia/errors';
import { eq, sql } from 'drizzle-orm';
import { accounts, transfers } from '../db';
import { available, ensureAccountsOnce } from './accounts';
import type { ReserveResult } from './reserve';
import { transferId } from './transfer-ids';

export interface BatchItem {
  messageId: string;
  parts: number;
  /** Price of one part for this message (destinations and carriers differ within a batch). */
  partPrice: bigint;
  priceId: string;
  carrier?: string;
  country?: string;
}

export interface BatchReservation {
  tenantId: string;
  subaccountId?: string;
  items: BatchItem[];
  currency: string;
  timeoutAt: Date;
  quotaAccountId?: string;
  usableUntil?: Date;
}

interface PendingTransfer {
  id: string;
  messageId: string;
  part: number;
  amount: bigint;
  priceId: string;
  carrier: string | null;
  country: string;
}

/** The quick path met a retried batch or a refusal: the transaction is run again, exactly. */
class NeedsExactPass extends Error {}

/**
 * Reserves a batch of one account in one transaction: the account row is locked once,
 * messages get credit in request order until it runs out (the rest: no_credit), every part's
 * pending transfer is written by one insert and the balance moves by one UPDATE.
 * Messages already reserved (a retried batch) keep their reservation.
 *
 * Looking up earlier reservations of 10,000 messages costs Postgres as much as half the
 * insert, and only a retry finds any. So the first pass assumes none: the insert skips a
 * transfer that exists (its id is derived from message and part) and counts what it wrote.
 * All written and nothing refused: that pass was exact. Otherwise an earlier reservation may
 * have taken room this pass gave away or refused, and the batch is reserved again with them
 * read first.
 */
export async function reserveBatch(
  db: Db,
  input: BatchReservation,
): Promise<Array<ReserveResult['outcome']>> {
  if (input.items.length > 10_000) throw new InvalidArgumentError('at most 10,000 messages per batch reservation');
  if (input.items.some((i) => !Number.isInteger(i.parts) || i.parts < 1 || i.parts > 255)) {
    throw new InvalidArgumentError('parts must be between 1 and 255');
  }
  if (input.items.length === 0) return [];
  try {
    return await reserveBatchPass(db, input, false);
  } catch (err) {
    if (!(err instanceof NeedsExactPass)) throw err;
    return reserveBatchPass(db, input, true);
  }
}

async function reserveBatchPass(
  db: Db,
  input: BatchReservation,
  exact: boolean,
): Promise<Array<ReserveResult['outcome']>> {
  const { customerId, revenueId } = await ensureAccountsOnce(db, input.tenantId, input.currency);
  return db.transaction(async (tx) => {
    // The account is locked first; only then are earlier reservations read (a statement's
    // snapshot predates its lock wait, so one statement would miss what the holder inserted).
    const locked = await tx.execute<{ kind: string; credits_posted: string; debits_posted: string; debits_pending: string }>(sql`
      select kind, credits_posted::text, debits_posted::text, debits_pending::text from ${accounts} where id = ${customerId} for update`);
    const row = locked.rows[0]!;
    const customer = { kind: row.kind, creditsPosted: BigInt(row.credits_posted), debitsPosted: BigInt(row.debits_posted), debitsPending: BigInt(row.debits_pending) };
    const already = exact ? await reservedBefore(tx, input.items) : new Set<string>();
    let room = customer.kind === 'customer_prepaid' ? available(customer) : undefined;
    // The month's quota, in parts (locked like the money account: concurrent batches queue).
    let quotaRoom: bigint | undefined;
    if (input.quotaAccountId) {
      const [quota] = await tx.select().from(accounts).where(eq(accounts.id, input.quotaAccountId)).for('update');
      if (quota) quotaRoom = available(quota);
    }
    let total = 0n;
    let units = 0n;
    const rows: PendingTransfer[] = [];
    const outcomes = input.items.map((item) => {
      if (already.has(item.messageId)) return 'reserved' as const;
      const amount = item.partPrice * BigInt(item.parts);
      // The seed's order: quota (215) before credit (201).
      if (quotaRoom !== undefined && BigInt(item.parts) > quotaRoom) return 'quota_blocked' as const;
      if (room !== undefined && amount > room) return 'no_credit' as const;
      if (room !== undefined) room -= amount;
      if (quotaRoom !== undefined) quotaRoom -= BigInt(item.parts);
      total += amount;
      units += BigInt(item.parts);
      for (let part = 1; part <= item.parts; part++) {
        rows.push({ id: transferId(item.messageId, part, 'pending'), messageId: item.messageId, part, amount: item.partPrice, priceId: item.priceId, carrier: item.carrier ?? null, country: item.country ?? '' });
      }
      return 'reserved' as const;
    });
    if (!exact && outcomes.some((o) => o !== 'reserved')) throw new NeedsExactPass();
    if (rows.length > 0) {
      // One statement through unnest: per-cell parameters would cost more CPU than the insert.
      const inserted = await tx.execute<{ written: number }>(sql`
        with w as (
        insert into ${transfers} (id, tenant_id, debit_account_id, credit_account_id, amount, currency, kind, message_id, part, timeout_at, usable_until, price_id, quota_account_id, carrier, subaccount_id, channel, country)
        select id, ${input.tenantId}, ${customerId}, ${revenueId}, amount, ${input.currency}, 'pending', message_id, part, ${input.timeoutAt.toISOString()}::timestamptz,
               ${input.usableUntil?.toISOString() ?? null}::timestamptz, price_id,
               ${quotaRoom === undefined ? null : input.quotaAccountId!}::text, carrier, ${input.subaccountId ?? ''}, 'sms', country
        from unnest(${sql.param(rows.map((r) => r.id))}::text[], ${sql.param(rows.map((r) => r.messageId))}::text[],
                    ${sql.param(rows.map((r) => r.part))}::integer[], ${sql.param(rows.map((r) => r.amount.toString()))}::bigint[],
                    ${sql.param(rows.map((r) => r.priceId))}::text[], ${sql.param(rows.map((r) => r.carrier))}::text[],
                    ${sql.param(rows.map((r) => r.country))}::text[]) as t(id, message_id, part, amount, price_id, carrier, country)
        on conflict (id) do nothing
        returning 1)
        select count(*)::integer as written from w`);
      if (inserted.rows[0]!.written !== rows.length) {
        // Only the quick pass can meet an existing transfer (the exact one skips reserved messages).
        if (!exact) throw new NeedsExactPass();
        throw new Error(`reserveBatch: ${rows.length - inserted.rows[0]!.written} transfers existed although their messages were not reserved`);
      }
    }
    if (units > 0n && quotaRoom !== undefined) {
      await tx.update(accounts).set({ debitsPending: sql`${accounts.debitsPending} + ${units}` }).where(eq(accounts.id, input.quotaAccountId!));
    }
    if (total > 0n) {
      await tx.update(accounts).set({ debitsPending: sql`${accounts.debitsPending} + ${total}` }).where(eq(accounts.id, customerId));
    }
    return outcomes;
  });
}

/** Messages of the batch that hold a reservation already (a retried batch). */
async function reservedBefore(tx: Tx, items: BatchItem[]): Promise<Set<string>> {
  const found = await tx.execute<{ message_id: string }>(sql`
    select x.message_id from ${eachKey(
      sql`unnest(${sql.param(items.map((i) => i.messageId))}::text[]) as k(id)`,
      sql`select message_id from ${transfers} where message_id = k.id and kind = 'pending' and part = 1`,
      'x',
    )}`);
  return new Set(found.rows.map((r) => r.message_id));
}
