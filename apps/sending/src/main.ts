import { telemetry } from './instrument';
import { startOutboxRelay } from '@sabia/bus';
import { sending } from '@sabia/contracts';
import { handlerKit, startGrpcServer } from '@sabia/grpc-kit';
import { runMain, runService } from '@sabia/runtime';
import { AddressPolicy } from '@sabia/webhooks';
import { join } from 'node:path';
import { billingClient } from './billing/billing-client';
import { ReservationPool } from './billing/reservation-pool';
import { loadConfig } from './config';
import { outbox } from './db';
import { startDispatcher } from './dispatch/dispatcher';
import { sendingService } from './grpc/sending-service';
import { onDeliver } from './receipts/on-deliver';
import { ReceiptBatcher } from './receipts/receipt-batcher';
import { UnrecordedSubmissions } from './receipts/unrecorded-submissions';
import { loadCarrierConfig } from './routing/carrier-config';
import { createRouter } from './routing/router';
import { CarrierBinds } from './smpp/carrier-binds';

export async function main() {
  const config = loadConfig();
  return runService({
    name: 'sending',
    schema: 'sending',
    migrationsFolder: join(__dirname, '../drizzle'),
    config,
    telemetry,
    async start({ database, bus, logger }) {
      const db = database.db;
      const router = createRouter(loadCarrierConfig(config.CARRIERS_FILE));
      const unrecorded = new UnrecordedSubmissions();
      const receipts = new ReceiptBatcher(db, unrecorded);
      const binds = new CarrierBinds(router, logger, (carrierId) => onDeliver(db, receipts, carrierId, logger));
      const relay = await startOutboxRelay({ pool: database.pool, table: outbox, bus, logger });
      // An API-only replica accepts and stores; dispatcher replicas hold the SMPP binds.
      if (config.SENDING_DISPATCH) binds.start();
      const dispatcher = config.SENDING_DISPATCH
        ? await startDispatcher({ db, bus, router, binds, sourceAddr: config.SMS_SOURCE_ADDR, logger, unrecorded })
        : { stop: async () => undefined };
      const billingGrpc = billingClient(config.BILLING_GRPC_ADDR, config.AUTH_JWT_SECRET);
      const pool = new ReservationPool(
        { db, reserve: billingGrpc.reserve, reserveBatch: billingGrpc.reserveBatch, release: billingGrpc.release, logger },
        { maxSize: config.RESERVATION_POOL_MAX, ttlMs: config.RESERVATION_POOL_TTL_SECONDS * 1000 },
      ).start();
      const billing = { ...billingGrpc, reserve: pool.reserve, reserveBatch: pool.reserveBatch, takeReserved: pool.take };
      const grpc = await startGrpcServer({
        host: config.GRPC_HOST,
        port: config.GRPC_PORT,
        logger,
        services: [{
          name: 'sabia.sending.v1.SendingService',
          definition: sending.SendingServiceService,
          messages: sending,
          implementation: sendingService({ db, billing, router, urlPolicy: new AddressPolicy(config.CALLBACK_ALLOWED_NETWORKS), logger }, handlerKit({ secret: config.AUTH_JWT_SECRET, logger })),
        }],
      });
      return [
        { name: 'dispatcher', stop: () => dispatcher.stop() },
        { name: 'grpc', stop: () => grpc.shutdown() },
        // After the API stopped taking sends, before the billing client closes.
        { name: 'reservation pool', stop: () => pool.stop() },
        { name: 'smpp', stop: () => binds.stop() },
        { name: 'outbox relay', stop: () => relay.stop() },
        { name: 'billing client', stop: async () => billing.close() },
      ];
    },
  });
}

if (require.main === module) runMain(main);
