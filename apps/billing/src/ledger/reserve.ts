import type { Db } from '@sabia/db';
import { InvalidArgumentError, invariant } from '@sabia/errors';
import { sql } from 'drizzle-orm';
import { accounts, transfers } from '../db';
import { ensureAccountsOnce } from './accounts';
import { customerAccountId, revenueAccountId, transferId } from './transfer-ids';

export interface ReserveInput {
  tenantId: string;
  messageId: string;
  parts: number;
  partPrice: bigint;
  /** The price row that set partPrice (recorded on every transfer). */
  priceId: string;
  currency: string;
  timeoutAt: Date;
  /** Carrier the message routes to (kept on the transfers: incident windows name carriers). */
  carrier?: string;
  /** Kept on the transfers for invoice lines. */
  subaccountId?: string;
  country?: string;
  /** The month's quota account when the tenant has a quota (QuotaBook); each part takes one unit. */
  quotaAccountId?: string;
}

export type ReserveResult = { outcome: 'reserved' | 'no_credit' | 'quota_blocked'; amount: bigint; currency: string };

const PREPAID_LIMIT = 'prepaid_never_negative';
const QUOTA_LIMIT = 'quota_never_exceeded';

/**
 * Makes one pending transfer per part, all or nothing, in ONE statement: the transfers are
 * inserted and the customer's pending debits raised together, and with a quota the month's quota
 * account's too. The limits are the accounts table's CHECK constraints, evaluated when the
 * pending amount is added (TigerBeetle's rule): if one fails the whole statement rolls back and
 * the answer is quota_blocked (215) or no_credit (201). Two
 * concurrent reservations queue on the account row, so they can never both pass. Reserving the
 * same message again inserts nothing (primary-key conflict) and returns the same answer.
 */
export async function reserve(db: Db, input: ReserveInput): Promise<ReserveResult> {
  if (!Number.isInteger(input.parts) || input.parts < 1 || input.parts > 255) {
    throw new InvalidArgumentError('parts must be between 1 and 255');
  }
  const amount = input.partPrice * BigInt(input.parts);
  const result = { amount, currency: input.currency };
  const customerId = customerAccountId(input.tenantId, input.currency);
  const ids = Array.from({ length: input.parts }, (_, i) => transferId(input.messageId, i + 1, 'pending'));
  const statement = (q: Pick<Db, 'execute'>) =>
    q.execute<{ inserted: number; updated: number }>(sql`
      with t as (
        insert into ${transfers} (id, tenant_id, debit_account_id, credit_account_id, amount, currency, kind, message_id, part, timeout_at, price_id, quota_account_id, carrier, subaccount_id, channel, country)
        select id, ${input.tenantId}, ${customerId}, ${revenueAccountId(input.currency)}, ${input.partPrice}, ${input.currency},
               'pending', ${input.messageId}, part, ${input.timeoutAt.toISOString()}::timestamptz, ${input.priceId}, ${input.quotaAccountId ?? null}::text, ${input.carrier ?? null}::text,
               ${input.subaccountId ?? ''}, 'sms', ${input.country ?? ''}
        from unnest(${sql.param(ids)}::text[]) with ordinality as p(id, part)
        on conflict do nothing
        returning amount
      ), q as (
        update ${accounts} set debits_pending = debits_pending + (select count(*) from t)
        where id = ${input.quotaAccountId ?? null}::text and exists (select 1 from t)
        returning id
      ), u as (
        update ${accounts} set debits_pending = debits_pending + (select coalesce(sum(amount), 0) from t)
        where id = ${customerId} and exists (select 1 from t)
        returning id
      )
      select (select count(*) from t)::int as inserted, (select count(*) from u)::int as updated, (select count(*) from q)::int as quota`);
  // With a quota the statement touches two account rows; lock them first in id order (as
  // settlements do), since the order the statement's parts run in is Postgres's choice.
  const attempt = () =>
    input.quotaAccountId
      ? db.transaction(async (tx) => {
          await tx.execute(sql`select 1 from ${accounts} where id in (${customerId}, ${input.quotaAccountId!}) order by id for update`);
          return statement(tx);
        })
      : statement(db);
  await ensureAccountsOnce(db, input.tenantId, input.currency);
  try {
    const [row] = (await attempt()).rows;
    if (row!.inserted === 0) return { outcome: 'reserved', ...result }; // reserved before
    invariant(row!.inserted === input.parts && row!.updated === 1, `partial reservation for message ${input.messageId}`);
    return { outcome: 'reserved', ...result };
  } catch (err) {
    if (violates(err, QUOTA_LIMIT)) return { outcome: 'quota_blocked', ...result };
    if (violates(err, PREPAID_LIMIT)) return { outcome: 'no_credit', ...result };
    throw err;
  }
}

/** drizzle wraps driver errors; the pg error, which names the constraint, is the cause. */
function violates(err: unknown, constraint: string): boolean {
  const pgError = (err as { cause?: unknown } | undefined)?.cause ?? err;
  return (pgError as { constraint?: string } | undefined)?.constraint === constraint;
}
