// NATS for dev and tests: run nats-server with JetStream. No npm package ships the binary, so it
// comes from the system (Debian's `nats-server` package), installed on demand when we are root.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, openSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { isListening, waitForPort } from './net';
import { isRunning, signalChild, stopChild, tailFile } from './proc';
import type { Started } from './postgres';

type Log = (line: string) => void;

const INSTALL_HINT =
  'nats-server was not found on PATH or at /usr/sbin/nats-server. Install it — Debian/Ubuntu: ' +
  '`sudo apt-get install -y nats-server`; macOS: `brew install nats-server`; otherwise a release from ' +
  'https://github.com/nats-io/nats-server/releases — or point NATS_URL at a running server with JetStream.';

export async function startEmbeddedNats(opts: { port: number; storeDir: string; logFile: string; log: Log }): Promise<Started> {
  const { port, storeDir, logFile, log } = opts;
  const url = `nats://127.0.0.1:${port}`;
  if (await isListening(port)) {
    log(`port ${port} is already in use; assuming it is the nats-server of an earlier run and reusing it (not stopping it afterwards)`);
    return { url, stop: async () => {} };
  }

  const bin = findNatsServer() ?? installNatsServer(log);
  mkdirSync(storeDir, { recursive: true });
  log(`starting ${bin} with JetStream on 127.0.0.1:${port} (store ${storeDir}, log ${logFile})`);
  const out = openSync(logFile, 'a');
  // detached for the same reason as Postgres: it stops last, when we say so.
  const child = spawn(bin, ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', storeDir], {
    detached: true,
    stdio: ['ignore', out, out],
  });
  const onExit = () => signalChild(child, 'SIGTERM');
  process.on('exit', onExit);
  const stop = async () => {
    process.off('exit', onExit);
    const how = await stopChild(child, { signal: 'SIGTERM', graceMs: 10_000 });
    log(how === 'exited' ? 'nats-server stopped' : 'nats-server did not stop in 10 s; killed');
  };
  try {
    await waitForPort('nats-server', port, {
      timeoutMs: 30_000,
      progress: (s) => log(`waiting for nats-server… ${s} s`),
      abort: () => (isRunning(child) ? undefined : `nats-server exited (code ${child.exitCode}); last lines of ${logFile}:\n${tailFile(logFile)}`),
    });
  } catch (err) {
    await stop();
    throw err;
  }
  log(`nats-server ready: ${url}`);
  return { url, stop };
}

function findNatsServer(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/sbin', '/usr/local/sbin'];
  for (const dir of dirs) {
    const candidate = join(dir, 'nats-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** apt-get install, showing apt's own progress; only as root on a Debian-like system. */
function installNatsServer(log: Log): string {
  const hasApt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
  if (process.getuid?.() !== 0 || !hasApt) throw new Error(INSTALL_HINT);
  log('nats-server is missing; installing the Debian package (apt-get update && apt-get install -y nats-server)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', 'nats-server']]) {
    const r = spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${r.status}). ${INSTALL_HINT}`);
  }
  const bin = findNatsServer();
  if (!bin) throw new Error(`apt-get installed nats-server but it is still not found. ${INSTALL_HINT}`);
  return bin;
}
