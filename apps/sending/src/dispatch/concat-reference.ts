import type { Db } from '@sabia/db';
import { sql } from 'drizzle-orm';
import { concatReferences, messages } from '../db';
import type { MessageRow } from '../messages/message';

/**
 * The UDH reference for a multi-part message: the destination's next one (mod 256), chosen
 * once and kept on the message, so a resumed dispatch sends its remaining parts with the
 * same reference and two long messages to one handset are never stitched together.
 */
export async function concatReference(db: Db, row: MessageRow): Promise<number> {
  if (row.concatReference !== null) return row.concatReference;
  const result = await db.execute<{ concat_reference: number }>(sql`
    with next as (
      insert into ${concatReferences} as r (destination, last_reference)
      values (${row.to}, floor(random() * 256)::smallint)
      on conflict (destination) do update set last_reference = (r.last_reference + 1) % 256
      returning last_reference
    )
    update ${messages} set concat_reference = coalesce(concat_reference, (select last_reference from next))
    where id = ${row.id}
    returning concat_reference`);
  return Number(result.rows[0]!.concat_reference);
}
