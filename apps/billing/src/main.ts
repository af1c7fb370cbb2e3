import { telemetry } from './instrument';
import { billing } from '@sabia/contracts';
import { handlerKit, startGrpcServer } from '@sabia/grpc-kit';
import { runMain, runService } from '@sabia/runtime';
import { join } from 'node:path';
import { loadConfig } from './config';
import { startStatusChangedConsumer } from './events/status-changed-consumer';
import { startIncidentConsumer } from './incidents/incident-consumer';
import { startPendingSweeper } from './ledger/expire-pendings';
import { billingService } from './grpc/billing-service';
import { CurrencyBook } from './accounts/currency-book';
import { PriceBook } from './prices/price-book';
import { QuotaBook } from './quotas/quota-book';

export async function main() {
  const config = loadConfig();
  return runService({
    name: 'billing',
    schema: 'billing',
    migrationsFolder: join(__dirname, '../drizzle'),
    config,
    telemetry,
    async start({ database, bus, logger }) {
      const consumer = await startStatusChangedConsumer(database.db, bus, logger);
      const incidents = await startIncidentConsumer(database.db, bus, logger);
      const sweeper = startPendingSweeper(database.db, logger);
      const kit = handlerKit({ secret: config.AUTH_JWT_SECRET, logger });
      const grpc = await startGrpcServer({
        host: config.GRPC_HOST,
        port: config.GRPC_PORT,
        logger,
        services: [{
          name: 'sabia.billing.v1.BillingService',
          definition: billing.BillingServiceService,
          messages: billing,
          implementation: billingService(database.db, config, kit, {
            prices: new PriceBook(database.db, { unitPrice: config.DEFAULT_SMS_PART_PRICE }),
            quotas: new QuotaBook(database.db),
            currencies: new CurrencyBook(database.db, config.DEFAULT_CURRENCY),
          }),
        }],
      });
      return [
        { name: 'status consumer', stop: () => consumer.stop() },
        { name: 'incident consumer', stop: () => incidents.stop() },
        { name: 'pending sweeper', stop: () => sweeper.stop() },
        { name: 'grpc', stop: () => grpc.shutdown() },
      ];
    },
  });
}

if (require.main === module) runMain(main);
