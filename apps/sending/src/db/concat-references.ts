import { smallint, text } from 'drizzle-orm/pg-core';
import { sending } from './schema';

/**
 * The last UDH concatenation reference used per destination: consecutive long messages to one
 * handset get different references, so their parts are never reassembled together.
 */
export const concatReferences = sending.table('concat_references', {
  destination: text('destination').primaryKey(),
  lastReference: smallint('last_reference').notNull(),
});
