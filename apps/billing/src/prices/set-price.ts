import type { Db } from '@sabia/db';
import { uuidv7 } from '@sabia/db';
import { AlreadyExistsError, InvalidArgumentError } from '@sabia/errors';
import { prices } from '../db';
import type { PriceRow } from './pick-price';

export const CHANNELS = ['sms', 'whatsapp_marketing', 'whatsapp_utility', 'whatsapp_authentication', 'whatsapp_service'] as const;

/**
 * Adds a price row. Every problem is named at once; a row for the same list, channel,
 * destination, currency and date already exists → ALREADY_EXISTS (prices are never edited:
 * a change is a new row from a new date).
 */
export async function setPrice(db: Db, input: Omit<PriceRow, 'id'>, by: string): Promise<PriceRow> {
  const problems: string[] = [];
  if (!(CHANNELS as readonly string[]).includes(input.channel)) problems.push(`channel must be one of ${CHANNELS.join(', ')}`);
  if (input.country && !/^[A-Z]{2}$/.test(input.country)) problems.push('country must be an ISO 3166-1 alpha-2 code such as BR, or empty');
  if (input.carrier && !/^[a-z][a-z0-9-]{0,31}$/.test(input.carrier)) problems.push('carrier must be a carrier id such as vivo, or empty');
  if (!/^[A-Z]{3}$/.test(input.currency)) problems.push('currency must be an ISO 4217 code such as BRL');
  if (input.unitPrice <= 0n) problems.push('unit_price must be positive (smallest currency unit)');
  if (Number.isNaN(input.effectiveFrom.getTime())) problems.push('effective_from is required');
  if (problems.length) throw new InvalidArgumentError(`invalid price: ${problems.join('; ')}`, { problems });
  const row = { id: `price_${uuidv7()}`, ...input };
  const [stored] = await db.insert(prices).values({ ...row, createdBy: by }).onConflictDoNothing().returning();
  if (!stored) throw new AlreadyExistsError('a price for this list, channel, destination and currency already starts at that date; add one with another date');
  return stored;
}
