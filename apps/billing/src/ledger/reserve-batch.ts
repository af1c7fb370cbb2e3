import { eachKey, type Db } from '@sabia/db';
import { InvalidArgumentError } from '@sabia/errors';
import { eq, sql } from 'drizzle-orm';
import { accounts, transfers } from '../db';
import { available, ensureAccountsOnce } from './accounts';
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

interface PendingTransfer {
  id: string;
  messageId: string;
  part: number;
  amount: bigint;
  priceId: string;
  carrier: string | null;
  country: string;
}

/**
 * Reserves a batch of one account in one transaction: the account row is locked once,
 * messages get credit in request order until it runs out (the rest: no_credit), every part's
 * pending transfer is written by one insert and the balance moves by one UPDATE.
 * Messages already reserved (a retried batch) keep their reservation.
 */
export async function reserveBatch(
  db: Db,
  input: { tenantId: string; subaccountId?: string; items: BatchItem[]; currency: string; timeoutAt: Date; quotaAccountId?: string; usableUntil?: Date },
): Promise<Array<'reserved' | 'no_credit' | 'quota_blocked'>> {
  if (input.items.length > 10_000) throw new InvalidArgumentError('at most 10,000 messages per batch reservation');
  if (input.items.some((i) => !Number.isInteger(i.parts) || i.parts < 1 || i.parts > 255)) {
    throw new InvalidArgumentError('parts must be between 1 and 255');
  }
  if (input.items.length === 0) return [];
  const { customerId, revenueId } = await ensureAccountsOnce(db, input.tenantId, input.currency);
  return db.transaction(async (tx) => {
    // The account is locked first; only then are earlier reservations read (a statement's
    // snapshot predates its lock wait, so one statement would miss what the holder inserted).
    const locked = await tx.execute<{ kind: string; credits_posted: string; debits_posted: string; debits_pending: string }>(sql`
      select kind, credits_posted::text, debits_posted::text, debits_pending::text from ${accounts} where id = ${customerId} for update`);
    const row = locked.rows[0]!;
    const customer = { kind: row.kind, creditsPosted: BigInt(row.credits_posted), debitsPosted: BigInt(row.debits_posted), debitsPending: BigInt(row.debits_pending) };
    const reservedBefore = await tx.execute<{ message_id: string }>(sql`
      select x.message_id from ${eachKey(
        sql`unnest(${sql.param(input.items.map((i) => i.messageId))}::text[]) as k(id)`,
        sql`select message_id from ${transfers} where message_id = k.id and kind = 'pending' and part = 1`,
        'x',
      )}`);
    const already = new Set(reservedBefore.rows.map((r) => r.message_id));
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
    if (rows.length > 0) {
      // One statement through unnest: per-cell parameters would cost more CPU than the insert.
      await tx.execute(sql`
        insert into ${transfers} (id, tenant_id, debit_account_id, credit_account_id, amount, currency, kind, message_id, part, timeout_at, usable_until, price_id, quota_account_id, carrier, subaccount_id, channel, country)
        select id, ${input.tenantId}, ${customerId}, ${revenueId}, amount, ${input.currency}, 'pending', message_id, part, ${input.timeoutAt.toISOString()}::timestamptz,
               ${input.usableUntil?.toISOString() ?? null}::timestamptz, price_id,
               ${quotaRoom === undefined ? null : input.quotaAccountId!}::text, carrier, ${input.subaccountId ?? ''}, 'sms', country
        from unnest(${sql.param(rows.map((r) => r.id))}::text[], ${sql.param(rows.map((r) => r.messageId))}::text[],
                    ${sql.param(rows.map((r) => r.part))}::integer[], ${sql.param(rows.map((r) => r.amount.toString()))}::bigint[],
                    ${sql.param(rows.map((r) => r.priceId))}::text[], ${sql.param(rows.map((r) => r.carrier))}::text[],
                    ${sql.param(rows.map((r) => r.country))}::text[]) as t(id, message_id, part, amount, price_id, carrier, country)`);
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

