import { buildSync, type BuildOptions } from 'esbuild';
import { existsSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';

/**
 * How a service is built to run: its own code and our libraries (@sabia/*) bundled into one
 * CommonJS file, npm packages left external (OpenTelemetry must patch grpc-js, pg and http as
 * they load). Services run from this, never through tsx: tsx kept every file's transformed
 * source and source map in the heap, twice the live heap of the bundle, and each of the
 * garbage collector's major pauses grew with it (README, Throughput: p99 at 500 SendSms/s 16.9
 * and 22.3 ms bundled against 37.5 and 32.1 under tsx).
 */
export function appBundleOptions(root: string, app: string, outfile: string): BuildOptions {
  return {
    entryPoints: [join(root, 'apps', app, 'src/main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
    // Every package import stays a require() except our own, which point at their sources (a
    // plugin could decide this per import, but esbuild's synchronous API takes no plugins).
    packages: 'external',
    alias: ourPackages(root),
  };
}

/** @sabia/<name> → the absolute path of its entry (its package.json's main), for each workspace package. */
function ourPackages(root: string): Record<string, string> {
  const scope = join(root, 'node_modules/@sabia');
  return Object.fromEntries(
    readdirSync(scope).map((name) => {
      const dir = realpathSync(join(scope, name));
      const { main } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { main?: string };
      return [`@sabia/${name}`, join(dir, main ?? 'src/index.ts')];
    }),
  );
}

const built = new Map<string, string>();

/**
 * The app built from the sources as they are now, once per process (and worker thread: vitest
 * runs test files side by side, each writes its own file), in apps/<app>/dist so that the
 * paths the app finds beside its code (../drizzle) are the real ones. Removed when the process exits.
 */
export function freshAppBundle(root: string, app: string): string {
  const cached = built.get(app);
  if (cached) return cached;
  const path = join(root, 'apps', app, 'dist', `main.${process.pid}.${threadId}.cjs`);
  removeOrphans(dirname(path));
  buildSync(appBundleOptions(root, app, path));
  built.set(app, path);
  process.once('exit', () => rmSync(path, { force: true }));
  return path;
}

/** Bundles of processes that are gone (a test worker killed before its exit handler ran). */
function removeOrphans(dir: string): void {
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    const pid = Number(/^main\.(\d+)\.\d+\.cjs$/.exec(name)?.[1]);
    if (pid && !alive(pid)) rmSync(join(dir, name), { force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
