import { telemetry } from './instrument';
import { incident } from '@sabia/contracts';
import { handlerKit, startGrpcServer } from '@sabia/grpc-kit';
import { runMain, runService } from '@sabia/runtime';
import { join } from 'node:path';
import { ensureDefaultComponents } from './components/ensure-default-components';
import { loadConfig } from './config';
import { incidentService } from './grpc/incident-service';
import { startStatusPageServer } from './http/status-page-server';

export async function main() {
  const config = loadConfig();
  return runService({
    name: 'incident',
    schema: 'incident',
    migrationsFolder: join(__dirname, '../drizzle'),
    config,
    telemetry,
    async start({ database, logger }) {
      const added = await ensureDefaultComponents(database.db);
      if (added.length) logger.info({ components: added }, 'added default components');
      const grpc = await startGrpcServer({
        host: config.GRPC_HOST,
        port: config.GRPC_PORT,
        logger,
        services: [{
          name: 'sabia.incident.v1.IncidentService',
          definition: incident.IncidentServiceService,
          messages: incident,
          implementation: incidentService(database.db, handlerKit({ secret: config.AUTH_JWT_SECRET, logger })),
        }],
      });
      const statusPage = await startStatusPageServer({
        host: config.HTTP_HOST,
        port: config.HTTP_PORT,
        db: database.db,
        name: config.STATUS_PAGE_NAME,
        url: config.STATUS_PAGE_URL,
        logger,
      });
      logger.info({ url: statusPage.url, port: statusPage.port }, 'status page listening');
      // Public traffic stops first; both read Postgres, which runService closes after them.
      return [
        { name: 'status page', stop: () => statusPage.close() },
        { name: 'grpc', stop: () => grpc.shutdown() },
      ];
    },
  });
}

if (require.main === module) runMain(main);
