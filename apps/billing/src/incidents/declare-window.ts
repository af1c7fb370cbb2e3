import type { incidentEvents } from '@sabia/contracts';
import type { Db } from '@sabia/db';
import { sql } from 'drizzle-orm';
import { incidentWindows, transfers } from '../db';
import { settleMessages } from '../ledger/settle';

/** Components named "sms-<carrier>" limit a window to that carrier; any other (or none) means every carrier. */
export function carriersOf(componentIds: readonly string[]): string[] {
  const carriers = componentIds.map((c) => /^sms-([a-z][a-z0-9-]*)$/.exec(c)?.[1]);
  return carriers.every((c) => c !== undefined) ? (carriers as string[]) : [];
}

/**
 * Records (or updates: an open window gets its end later) a declared incident window and voids,
 * at once, every reservation made inside it that no carrier answer has settled yet; reservations
 * settled later fall under the same rule in settleMessages. Declaring the same window again
 * changes nothing more. Reservations made ahead (sending's pool) are left to their answer or
 * their release: billing cannot tell one a message took from one no message will ever take, and
 * only the first belongs in the incident's statement.
 */
export async function declareIncidentWindow(db: Db, window: incidentEvents.IncidentWindowDeclared): Promise<number> {
  const row = {
    incidentId: window.incidentId,
    startsAt: window.startsAt ?? new Date(),
    endsAt: window.endsAt ?? null,
    carriers: carriersOf(window.componentIds),
  };
  return db.transaction(async (tx) => {
    await tx
      .insert(incidentWindows)
      .values(row)
      .onConflictDoUpdate({ target: incidentWindows.incidentId, set: { startsAt: row.startsAt, endsAt: row.endsAt, carriers: row.carriers } });
    const open = await tx.execute<{ message_id: string }>(sql`
      select distinct p.message_id from ${transfers} p
      where p.kind = 'pending' and p.usable_until is null and p.created_at >= ${row.startsAt.toISOString()}::timestamptz
        and (${row.endsAt?.toISOString() ?? null}::timestamptz is null or p.created_at < ${row.endsAt?.toISOString() ?? null}::timestamptz)
        and (cardinality(${sql.param(row.carriers)}::text[]) = 0 or p.carrier = any(${sql.param(row.carriers)}::text[]))
        and not exists (select 1 from ${transfers} s where s.pending_id = p.id)`);
    return settleMessages(tx, new Map(open.rows.map((r) => [r.message_id, 'void' as const])));
  });
}
