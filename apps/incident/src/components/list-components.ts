import type { DbOrTx } from '@sabia/db';
import { asc } from 'drizzle-orm';
import { components } from '../db';
import { toComponentStatus, type Component } from './component-status';

/** Every component in display order. Public data: the status page has no tenants. */
export async function listComponents(db: DbOrTx): Promise<Component[]> {
  const rows = await db.select().from(components).orderBy(asc(components.position), asc(components.id));
  return rows.map((row) => ({ ...row, status: toComponentStatus(row.status) }));
}
