import type { OutboxTable } from '@sabia/db';

/** The outbox relay running in this process, as the writers of its table see it. */
export interface LocalRelay {
  /** True while it holds the relay lock: it is the one that publishes this table's rows. */
  leads(): boolean;
  /** Tells it rows were committed (call after the commit). */
  wake(): void;
}

const relays = new Map<OutboxTable, Set<LocalRelay>>();

/** Registers a relay of `table` running in this process; returns the unregistration. */
export function registerLocalRelay(table: OutboxTable, relay: LocalRelay): () => void {
  let set = relays.get(table);
  if (!set) relays.set(table, (set = new Set()));
  set.add(relay);
  return () => void set.delete(relay);
}

/**
 * The relay to wake in memory after committing rows to `table`, when it runs in this process
 * and leads; undefined when the commit must NOTIFY instead (another replica relays, or none
 * yet). A NOTIFY with a listener cost Postgres 80-100 µs a transaction on the 2-core test VM
 * (pgbench: an insert alone against one with pg_notify), a tenth of what a lone SendSms
 * costs it; the listening connection's wake-up came on top, in the relay's process.
 */
export function leadingLocalRelay(table: OutboxTable): LocalRelay | undefined {
  for (const relay of relays.get(table) ?? []) if (relay.leads()) return relay;
  return undefined;
}
