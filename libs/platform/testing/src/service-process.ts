import { SERVICE_NODE_FLAGS } from '@sabia/runtime';
import { freshAppBundle } from './app-bundle';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '../../../..');
const ROOT = REPO_ROOT;

export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  /** Everything the process wrote, for assertions and for failure messages. */
  output(): string;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts the app as its own process, exactly as it runs in production: built from apps/<app>/src/main.ts. */
export function spawnService(app: string, env: Record<string, string>): ServiceProcess {
  // For benchmarks: SABIA_PROFILE_DIR=/tmp/prof writes a V8 CPU profile per service when it
  // exits; SABIA_SERVICE_NODE_FLAGS adds Node or V8 flags to every service ('--trace-gc',
  // '--perf-basic-prof' for `perf`); SABIA_SERVICE_LOG_DIR keeps each one's output in <app>.log.
  const { SABIA_PROFILE_DIR: profileDir, SABIA_SERVICE_NODE_FLAGS: extraFlags, SABIA_SERVICE_LOG_DIR: logDir } = process.env;
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, app)}`] : [];
  const extra = extraFlags?.split(/\s+/).filter(Boolean) ?? [];
  if (logDir) mkdirSync(logDir, { recursive: true });
  // Written behind the benchmark's back: its own CPU is measured too.
  const log = logDir ? createWriteStream(join(logDir, `${app}.log`), { flags: 'a' }) : undefined;
  // Built as it runs in production (app-bundle.ts), from the sources as they are now.
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, ...profile, ...extra, freshAppBundle(ROOT, app)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    out += chunk.toString('utf8');
    log?.write(chunk);
    for (const l of listeners) l();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.once('close', () => log?.end());
  // A test or benchmark that dies must not leave its services running (they would keep
  // talking to a dropped database and holding ports).
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));

  return {
    name: app,
    child,
    output: () => out,
    waitForOutput(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!pattern.test(out)) return;
          cleanup();
          resolve();
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`${app}: no output matching ${pattern} within ${timeoutMs} ms; output:\n${out.slice(-3000)}`));
        }, timeoutMs);
        const onExit = () => {
          cleanup();
          reject(new Error(`${app} exited before ${pattern}; output:\n${out.slice(-3000)}`));
        };
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
          child.off('exit', onExit);
        };
        listeners.add(check);
        child.once('exit', onExit);
        check();
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}
