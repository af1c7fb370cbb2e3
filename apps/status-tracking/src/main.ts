import { telemetry } from './instrument';
import { startOutboxRelay } from '@sabia/bus';
import { status } from '@sabia/contracts';
import { handlerKit, startGrpcServer } from '@sabia/grpc-kit';
import { runMain, runService } from '@sabia/runtime';
import { AddressPolicy } from '@sabia/webhooks';
import { join } from 'node:path';
import { CallbackCache } from './callbacks/callback-cache';
import { startCallbackWorker } from './callbacks/callback-worker';
import { loadConfig } from './config';
import { outbox } from './db';
import { startSendingConsumers } from './events/sending-consumers';
import { statusService } from './grpc/status-service';

export async function main() {
  const config = loadConfig();
  return runService({
    name: 'status-tracking',
    schema: 'status',
    migrationsFolder: join(__dirname, '../drizzle'),
    config,
    telemetry,
    async start({ database, bus, logger }) {
      const relay = await startOutboxRelay({ pool: database.pool, table: outbox, bus, logger });
      const callbackCache = new CallbackCache(database.db);
      const callbacks = startCallbackWorker(database.db, logger, {
        cache: callbackCache,
        policy: new AddressPolicy(config.CALLBACK_ALLOWED_NETWORKS),
        timeoutMs: config.CALLBACK_TIMEOUT_MS,
        concurrency: config.CALLBACK_CONCURRENCY,
        retryScale: config.CALLBACK_RETRY_SCALE,
      });
      const consumers = await startSendingConsumers(database.db, bus, logger, callbacks.handOff);
      const grpc = await startGrpcServer({
        host: config.GRPC_HOST,
        port: config.GRPC_PORT,
        logger,
        services: [{
          name: 'sabia.status.v1.StatusService',
          definition: status.StatusServiceService,
          messages: status,
          implementation: statusService(database.db, handlerKit({ secret: config.AUTH_JWT_SECRET, logger }), callbackCache),
        }],
      });
      return [
        { name: 'consumers', stop: () => consumers.stop() },
        { name: 'callbacks', stop: () => callbacks.stop() },
        { name: 'grpc', stop: () => grpc.shutdown() },
        { name: 'outbox relay', stop: () => relay.stop() },
      ];
    },
  });
}

if (require.main === module) runMain(main);
