import { connectBus, ensureStreams, pruneProcessedEvents, type Bus } from '@sabia/bus';
import { connectDb, migrateSchema, processedEventsTable, type Database } from '@sabia/db';
import { pgSchema } from 'drizzle-orm/pg-core';
import { createLogger, safeUrl, type Logger } from '@sabia/logger';
import type { Telemetry } from '@sabia/telemetry';
import { startSweeper } from './sweeper';

export interface ServiceDeps {
  database: Database;
  bus: Bus;
  logger: Logger;
}

/** What a service starts, in the order it must stop (consumers first, then the gRPC server). */
export interface Stoppable {
  name: string;
  stop(): Promise<void>;
}

/**
 * The life of every service: connect, migrate its own schema, set up streams, start (with the
 * pruning of its consumers' dedup records, see @sabia/bus prune-processed-events.ts), and on
 * SIGTERM/SIGINT stop in the nats.js order — stop consuming, finish in-flight work and close
 * the gRPC server, drain NATS, close the pool, flush telemetry.
 */
export async function runService(opts: {
  name: string;
  schema: string;
  migrationsFolder: string;
  config: { DATABASE_URL: string; DB_POOL_MAX: number; NATS_URL: string; NATS_NAMESPACE: string; LOG_LEVEL: string };
  telemetry: Telemetry;
  start(deps: ServiceDeps): Promise<Stoppable[]>;
}): Promise<{ stop(): Promise<void> }> {
  const logger = createLogger(opts.name, opts.config.LOG_LEVEL);
  logger.info({ database: safeUrl(opts.config.DATABASE_URL), nats: opts.config.NATS_URL }, 'starting');
  const database = connectDb(opts.config.DATABASE_URL, { appName: opts.name, max: opts.config.DB_POOL_MAX });
  await migrateSchema(database.pool, opts.schema, opts.migrationsFolder);
  const bus = await connectBus(opts.config.NATS_URL, opts.name, opts.config.NATS_NAMESPACE);
  await ensureStreams(bus);
  const started = await opts.start({ database, bus, logger });
  // Every service's schema has the platform's processed_events table (its consumers' dedup records).
  const processedEvents = processedEventsTable(pgSchema(opts.schema));
  const pruner = startSweeper({
    sweep: () => pruneProcessedEvents(database.db, processedEvents),
    firstAfterMs: 60_000, // out of the way of a busy boot
    everyMs: 3600_000,
    onResult: (deleted) => {
      if (deleted > 0) logger.info({ deleted }, 'pruned records of events applied before the streams’ retention');
    },
    onError: (err) => logger.warn({ err }, 'pruning processed events failed; next round retries'),
  });
  const parts: Stoppable[] = [{ name: 'processed events pruner', stop: () => pruner.stop() }, ...started];
  logger.info('ready');

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      logger.info('stopping');
      for (const part of parts) {
        await part.stop().then(
          () => logger.debug({ part: part.name }, 'stopped part'),
          (err) => logger.error({ err, part: part.name }, 'stop failed'),
        );
      }
      await bus.close().catch((err) => logger.error({ err }, 'NATS drain failed'));
      await database.close().catch((err) => logger.error({ err }, 'pool close failed'));
      await opts.telemetry.shutdown();
      logger.info('stopped');
    })());

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => void stop().then(() => process.exit(0)));
  }
  return { stop };
}
