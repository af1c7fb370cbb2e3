import { sql } from 'drizzle-orm';
import { customType, index, jsonb, primaryKey, text, timestamp, uuid, type PgSchema } from 'drizzle-orm/pg-core';

export const bytea = customType<{ data: Uint8Array; driverData: Buffer }>({
  dataType: () => 'bytea',
  toDriver: (value) => Buffer.from(value),
  fromDriver: (value) => new Uint8Array(value),
});

/**
 * The transactional outbox: an event is written in the same transaction as the change it
 * announces, and a relay publishes it afterwards with Nats-Msg-Id = id. A crash between
 * commit and publish therefore loses nothing; a crash between publish and delete publishes
 * twice, which JetStream's duplicate window and our idempotent consumers absorb.
 */
export const outboxTable = (schema: PgSchema) =>
  schema.table(
    'outbox',
    {
      id: uuid('id').primaryKey(),
      subject: text('subject').notNull(),
      payload: bytea('payload').notNull(),
      /** W3C trace context of the transaction that wrote the event. */
      headers: jsonb('headers').$type<Record<string, string>>().notNull().default(sql`'{}'::jsonb`),
      createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    },
    (t) => [index('outbox_created_at_idx').on(t.createdAt)],
  );

/**
 * Events a consumer has applied, written in the same transaction as the effect: a
 * redelivered event finds its row and changes nothing.
 */
export const processedEventsTable = (schema: PgSchema) =>
  schema.table(
    'processed_events',
    {
      consumer: text('consumer').notNull(),
      eventId: text('event_id').notNull(),
      processedAt: timestamp('processed_at', { withTimezone: true }).notNull().defaultNow(),
    },
    (t) => [
      primaryKey({ columns: [t.consumer, t.eventId] }),
      // Rows arrive in time order, so a BRIN index finds the old ones for pruning at almost no
      // cost per insert (a btree would add a third index write to every event applied).
      index('processed_events_processed_at_brin').using('brin', t.processedAt),
    ],
  );

export type OutboxTable = ReturnType<typeof outboxTable>;
export type ProcessedEventsTable = ReturnType<typeof processedEventsTable>;
