import type { Db } from '@sabia/db';
import { and, desc, eq, inArray, type SQL } from 'drizzle-orm';
import { prices } from '../db';

/** The rows that can price an account's traffic: its own list and the default one, newest first. */
export async function listPrices(db: Db, accountId: string, channel: string) {
  const conditions: SQL[] = [inArray(prices.accountId, [accountId, ''])];
  if (channel) conditions.push(eq(prices.channel, channel));
  return db
    .select({
      id: prices.id, accountId: prices.accountId, channel: prices.channel, country: prices.country, carrier: prices.carrier,
      currency: prices.currency, unitPrice: prices.unitPrice, effectiveFrom: prices.effectiveFrom,
    })
    .from(prices)
    .where(and(...conditions))
    .orderBy(desc(prices.effectiveFrom));
}
