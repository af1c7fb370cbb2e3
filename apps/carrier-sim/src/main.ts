import { telemetry } from './instrument';
import { createLogger } from '@sabia/logger';
import { readFileSync } from 'node:fs';
import { loadConfig } from './config';
import { startHttpControl } from './http-control';
import { readProfilesFile } from './profiles-file';
import { startSmsc } from './smsc/start-smsc';
import type { SmscAccount } from './smsc/types';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('carrier-sim', config.LOG_LEVEL);
  const fromEnv: SmscAccount = {
    systemId: config.SMPP_SYSTEM_ID,
    password: config.SMPP_PASSWORD,
    profile: {
      submitDelayMs: config.SUBMIT_DELAY_MS,
      receiptDelayMs: config.RECEIPT_DELAY_MS,
      sendsReceipts: config.SENDS_RECEIPTS,
      deliveredShare: config.DELIVERED_SHARE,
    },
  };
  const fromFile = config.PROFILES_FILE
    ? readProfilesFile(config.PROFILES_FILE, { password: config.SMPP_PASSWORD, timeScale: config.TIME_SCALE })
    : [];
  // A file account with the env account's system_id replaces it.
  const accounts = [fromEnv, ...fromFile].filter((a, i, all) => all.findLastIndex((b) => b.systemId === a.systemId) === i);
  const tls =
    config.SMPP_TLS_CERT_FILE && config.SMPP_TLS_KEY_FILE
      ? { cert: readFileSync(config.SMPP_TLS_CERT_FILE), key: readFileSync(config.SMPP_TLS_KEY_FILE) }
      : undefined;
  const smsc = await startSmsc({ host: config.SMPP_HOST, port: config.SMPP_PORT, accounts, logger, tls });
  logger.info({ host: config.SMPP_HOST, port: smsc.port, tls: Boolean(tls), systemIds: accounts.map((a) => a.systemId) }, 'smpp listening');
  // Same host as SMPP: the control API can inject traffic, so it stays where the SMSC is reachable.
  const http = await startHttpControl({ host: config.SMPP_HOST, port: config.HTTP_PORT, smsc, logger });
  logger.info({ host: config.SMPP_HOST, port: http.port }, 'http control listening');

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    Promise.all([http.close(), smsc.close()]).then(
      async () => {
        await telemetry.shutdown();
        logger.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'unclean shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  // pino may not exist yet (bad config), so plain stderr.
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
