// Child-process plumbing shared by infra.ts, up.ts and test.ts.
import { type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export const isRunning = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

/** Resolves when the child has exited (at once if it already has). */
export function exitOf(child: ChildProcess): Promise<void> {
  if (!isRunning(child)) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Sends `signal` and waits up to graceMs, then SIGKILLs. With `group`, signals the whole process
 * group (children were spawned `detached`, so the group is theirs alone); that also reaches any
 * grandchildren a wrapper might have started.
 */
export async function stopChild(
  child: ChildProcess,
  opts: { signal?: NodeJS.Signals; graceMs?: number; group?: boolean } = {},
): Promise<'exited' | 'killed'> {
  const { signal = 'SIGTERM', graceMs = 10_000, group = false } = opts;
  if (!isRunning(child) || child.pid === undefined) return 'exited';
  signalChild(child, signal, group);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((r) => (timer = setTimeout(() => r(true), graceMs)));
  const killed = await Promise.race([exitOf(child).then(() => false), timedOut]);
  clearTimeout(timer);
  if (!killed) return 'exited';
  signalChild(child, 'SIGKILL', group);
  await exitOf(child);
  return 'killed';
}

export function signalChild(child: ChildProcess, signal: NodeJS.Signals, group = false): void {
  if (child.pid === undefined || !isRunning(child)) return;
  try {
    process.kill(group ? -child.pid : child.pid, signal);
  } catch {
    // ESRCH: it exited between the check and the kill.
  }
}

/** The last `n` non-empty lines of a log file ('' when it cannot be read). */
export function tailFile(path: string, n = 20): string {
  try {
    return readFileSync(path, 'utf8').split('\n').filter(Boolean).slice(-n).join('\n');
  } catch {
    return '';
  }
}

/**
 * How the dev scripts run a TypeScript entry point: `node --import tsx <entry>`. Same effect as
 * `npx tsx <entry>` but one process instead of three, so our signals reach the service itself
 * and it runs on the same Node as the calling script (CI runs the suite on Node 20 and 24).
 */
export function tsxCommand(entry: string, args: string[] = [], nodeFlags: readonly string[] = []): [string, string[]] {
  return [process.execPath, [...nodeFlags, '--import', 'tsx', entry, ...args]];
}
