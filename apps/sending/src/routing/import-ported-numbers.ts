import type { Db } from '@sabia/db';
import { InvalidArgumentError } from '@sabia/errors';
import { sql } from 'drizzle-orm';
import { toE164 } from '../customers/phone-number';
import { portedNumbers } from '../db';
import type { Router } from './router';

const MAX = 10_000;

/**
 * Loads a slice of the portability base: numbers that moved to another carrier override the
 * number ranges from their next message on; numbers that moved back are forgotten. Every bad
 * number or unknown carrier is named at once and nothing is written.
 */
export async function importPortedNumbers(db: Db, router: Router, input: { ported: Array<{ number: string; carrier: string }>; unported: string[] }) {
  if (input.ported.length + input.unported.length > MAX) throw new InvalidArgumentError(`at most ${MAX} numbers per call`);
  const problems: string[] = [];
  const normalise = (raw: string, where: string) => {
    try {
      return toE164(raw);
    } catch (err) {
      problems.push(`${where}: ${(err as Error).message}`);
      return '';
    }
  };
  const ported = input.ported.map((p, i) => {
    if (!router.carrier(p.carrier)) problems.push(`ported[${i}].carrier: no carrier ${p.carrier} in the carriers file`);
    return { number: normalise(p.number, `ported[${i}].number`), carrier: p.carrier };
  });
  const unported = input.unported.map((n, i) => normalise(n, `unported[${i}]`));
  if (problems.length) throw new InvalidArgumentError(`nothing imported: ${problems.slice(0, 20).join('; ')}${problems.length > 20 ? `; and ${problems.length - 20} more` : ''}`, { problems });
  return db.transaction(async (tx) => {
    let written = 0;
    if (ported.length > 0) {
      const res = await tx.execute(sql`
        insert into ${portedNumbers} (number, carrier)
        select * from unnest(${sql.param(ported.map((p) => p.number))}::text[], ${sql.param(ported.map((p) => p.carrier))}::text[])
        on conflict (number) do update set carrier = excluded.carrier, ported_at = now()
        where ${portedNumbers}.carrier <> excluded.carrier`);
      written = res.rowCount ?? 0;
    }
    let removed = 0;
    if (unported.length > 0) {
      const res = await tx.execute(sql`delete from ${portedNumbers} where number = any(${sql.param(unported)}::text[])`);
      removed = res.rowCount ?? 0;
    }
    return { ported: written, unported: removed };
  });
}
