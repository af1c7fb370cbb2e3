// Postgres and NATS for `npm run up` and `npm test`, found or started in this order:
//   1. DATABASE_URL / NATS_URL from the environment, used as given;
//   2. the machine's own servers on 127.0.0.1:5432 / :4222 (what CI machines run), unless
//      SABIA_EMBEDDED=1;
//   3. embedded ones on their own ports (SABIA_PG_PORT 55432, SABIA_NATS_PORT 54222), state in .sabia/.
// stop() stops only what step 3 started.
import { ensureDatabase, startEmbeddedPostgres, type Started } from './lib/postgres';
import { startEmbeddedNats } from './lib/nats';
import { isListening } from './lib/net';
import { statePath } from './lib/paths';

export interface InfraOptions {
  /** Skip step 2 (default: SABIA_EMBEDDED=1). */
  forceEmbedded?: boolean;
  pgPort?: number;
  natsPort?: number;
  log?: (line: string) => void;
}

export interface Infra {
  databaseUrl: string;
  natsUrl: string;
  stop(): Promise<void>;
}

const LOCAL_PG_URL = 'postgres://postgres@127.0.0.1:5432/sabia';
const LOCAL_NATS_URL = 'nats://127.0.0.1:4222';

export async function ensureInfra(opts: InfraOptions = {}): Promise<Infra> {
  const log = opts.log ?? ((line: string) => console.log(`[infra] ${line}`));
  const forceEmbedded = opts.forceEmbedded ?? process.env.SABIA_EMBEDDED === '1';
  const pgPort = opts.pgPort ?? portFromEnv('SABIA_PG_PORT', 55432);
  const natsPort = opts.natsPort ?? portFromEnv('SABIA_NATS_PORT', 54222);
  const started: Started[] = [];
  const stop = async () => {
    // Reverse order; each stop is independent, so one failure must not leave the other running.
    for (const s of started.splice(0).reverse()) await s.stop().catch((err) => log(`stop failed: ${String(err)}`));
  };

  try {
    const databaseUrl = await resolvePostgres();
    const natsUrl = await resolveNats();
    return { databaseUrl, natsUrl, stop };
  } catch (err) {
    await stop();
    throw err;
  }

  async function resolvePostgres(): Promise<string> {
    const fromEnv = process.env.DATABASE_URL;
    if (fromEnv) {
      log(`Postgres: DATABASE_URL from the environment (${redact(fromEnv)})`);
      return fromEnv;
    }
    if (!forceEmbedded && (await isListening(5432))) {
      try {
        await ensureDatabase(LOCAL_PG_URL);
      } catch (err) {
        throw new Error(
          `Postgres answers on 127.0.0.1:5432 but connecting as postgres failed: ${(err as Error).message}. ` +
            'Set DATABASE_URL, or SABIA_EMBEDDED=1 to run an embedded Postgres instead.',
        );
      }
      log(`Postgres: the local server (${LOCAL_PG_URL})`);
      return LOCAL_PG_URL;
    }
    const pg = await startEmbeddedPostgres({ port: pgPort, dataDir: statePath('pg'), logFile: statePath('pg.log'), log });
    started.push(pg);
    return pg.url;
  }

  async function resolveNats(): Promise<string> {
    const fromEnv = process.env.NATS_URL;
    if (fromEnv) {
      log(`NATS: NATS_URL from the environment (${redact(fromEnv)})`);
      return fromEnv;
    }
    if (!forceEmbedded && (await isListening(4222))) {
      log(`NATS: the local server (${LOCAL_NATS_URL})`);
      return LOCAL_NATS_URL;
    }
    const nats = await startEmbeddedNats({ port: natsPort, storeDir: statePath('nats'), logFile: statePath('nats.log'), log });
    started.push(nats);
    return nats.url;
  }
}

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (!raw) return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${name}=${raw} is not a TCP port`);
  return port;
}

/** URLs go to the terminal and CI logs: never print a password. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}
