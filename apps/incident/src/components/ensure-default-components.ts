import type { DbOrTx } from '@sabia/db';
import { components } from '../db';

/** The platform's parts a customer can tell apart when something breaks (DESIGN §1). */
export const DEFAULT_COMPONENTS = [
  { id: 'sms-api', name: 'SMS API', description: 'Sending SMS through the API and campaigns.' },
  { id: 'whatsapp-api', name: 'WhatsApp API', description: 'Sending and receiving WhatsApp messages.' },
  { id: 'smpp-carriers', name: 'SMPP carrier connections', description: 'Delivery of SMS through the mobile carriers.' },
  { id: 'status-callbacks', name: 'Status callbacks (webhooks)', description: 'Delivery status notifications sent to your endpoints.' },
  { id: 'billing', name: 'Billing', description: 'Balances, quotas and invoices.' },
  { id: 'human-attendance', name: 'Human attendance (tickets)', description: 'WhatsApp conversations handled by your agents.' },
  { id: 'status-page', name: 'Status page', description: 'This page and its notifications.' },
].map((component, index) => ({ ...component, position: index + 1 }));

/**
 * Run at every boot, by every replica at once: inserts the components that are missing and
 * leaves existing rows alone, so a status set during an incident survives a restart or a
 * deploy. Returns the ids it inserted.
 */
export async function ensureDefaultComponents(db: DbOrTx): Promise<string[]> {
  const inserted = await db
    .insert(components)
    .values(DEFAULT_COMPONENTS)
    .onConflictDoNothing({ target: components.id })
    .returning({ id: components.id });
  return inserted.map((row) => row.id);
}
