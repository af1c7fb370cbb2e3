import { telemetry } from './instrument';
import { startOutboxRelay } from '@sabia/bus';
import { status } from '@sabia/contracts';
import { handlerKit, startGrpcServer } from '@sabia/grpc-kit';
import { runMain, runService } from '@sabia/runtime';
import { join } from 'node:path';
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
      const consumers = await startSendingConsumers(database.db, bus, logger);
      const grpc = await startGrpcServer({
        host: config.GRPC_HOST,
        port: config.GRPC_PORT,
        logger,
        services: [{
          name: 'sabia.status.v1.StatusService',
          definition: status.StatusServiceService,
          implementation: statusService(database.db, handlerKit({ secret: config.AUTH_JWT_SECRET, logger })),
        }],
      });
      return [
        { name: 'consumers', stop: () => consumers.stop() },
        { name: 'grpc', stop: () => grpc.shutdown() },
        { name: 'outbox relay', stop: () => relay.stop() },
      ];
    },
  });
}

if (require.main === module) runMain(main);
