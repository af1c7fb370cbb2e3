import { telemetry } from './instrument';
import { ticketing } from '@sabia/contracts';
import { handlerKit, startGrpcServer } from '@sabia/grpc-kit';
import { runMain, runService } from '@sabia/runtime';
import { join } from 'node:path';
import { loadConfig } from './config';
import { ticketingService } from './grpc/ticketing-service';

export async function main() {
  const config = loadConfig();
  return runService({
    name: 'ticketing',
    schema: 'ticketing',
    migrationsFolder: join(__dirname, '../drizzle'),
    config,
    telemetry,
    async start({ database, logger }) {
      const grpc = await startGrpcServer({
        host: config.GRPC_HOST,
        port: config.GRPC_PORT,
        logger,
        services: [{
          name: 'sabia.ticketing.v1.TicketingService',
          definition: ticketing.TicketingServiceService,
          messages: ticketing,
          implementation: ticketingService(database.db, handlerKit({ secret: config.AUTH_JWT_SECRET, logger })),
        }],
      });
      return [{ name: 'grpc', stop: () => grpc.shutdown() }];
    },
  });
}

if (require.main === module) runMain(main);
