import { readdirSync, readFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU seconds (user + system) a process has used so far, from /proc; undefined when gone or not Linux. */
function cpuSeconds(pid: number): number | undefined {
  try {
    // Fields after the command name (which may contain spaces): utime is the 12th, stime the 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Every process whose command is `name` (postgres backends, nats-server). */
function pidsNamed(name: string): number[] {
  try {
    return readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .filter((d) => {
        try {
          return readFileSync(`/proc/${d}/comm`, 'utf8').trim() === name;
        } catch {
          return false;
        }
      })
      .map(Number);
  } catch {
    return [];
  }
}

/**
 * CPU used by each service, Postgres and NATS between start and stop: a figure that moves far
 * less with the machine's speed of the hour than throughput does, so two builds can be compared
 * by it. Postgres backends that come and go in between are sampled every half second (a backend
 * that lives less than that is missed). Linux only; elsewhere it reports nothing.
 */
export function startCpuMeter(services: Map<string, { child: ChildProcess }>) {
  const first = new Map<number, { label: string; at: number }>();
  const last = new Map<number, number>();
  const sample = () => {
    const labelled: Array<[number, string]> = [
      ...[...services].map(([name, s]) => [s.child.pid!, name] as [number, string]),
      ...pidsNamed('postgres').map((pid) => [pid, 'postgres'] as [number, string]),
      ...pidsNamed('nats-server').map((pid) => [pid, 'nats'] as [number, string]),
      [process.pid, 'benchmark'],
    ];
    for (const [pid, label] of labelled) {
      const now = cpuSeconds(pid);
      if (now === undefined) continue;
      if (!first.has(pid)) first.set(pid, { label, at: now });
      last.set(pid, now);
    }
  };
  sample();
  const timer = setInterval(sample, 500);
  return {
    /** Seconds of CPU per label since start. */
    stop(): Map<string, number> {
      clearInterval(timer);
      sample();
      const used = new Map<string, number>();
      for (const [pid, { label, at }] of first) used.set(label, (used.get(label) ?? 0) + (last.get(pid)! - at));
      return used;
    },
  };
}

export interface MachineTicks {
  total: number;
  stolen: number;
}

/**
 * The machine's CPU ticks so far, all CPUs together (/proc/stat's first line): all of them, and
 * those stolen, when this VM's CPUs had work to run but its host ran something else. Undefined
 * where there is no /proc. Stolen time lands on whichever process was running, as a stall no
 * code of ours explains, so the benchmark prints it beside each window's tail.
 */
export function machineTicks(): MachineTicks | undefined {
  try {
    // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guest is inside user)
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
    return { total: fields.reduce((a, b) => a + b, 0), stolen: fields[7] ?? 0 };
  } catch {
    return undefined;
  }
}

/** Percent of the CPU time between two samples that the host took; null when either is missing. */
export function stolenPercent(from: MachineTicks | undefined, to: MachineTicks | undefined): number | null {
  if (!from || !to || to.total === from.total) return null;
  return (100 * (to.stolen - from.stolen)) / (to.total - from.total);
}

/** "2.41 ms: postgres 0.73, status-tracking 0.60, …" per unit of work. */
export function cpuPerUnit(used: Map<string, number>, units: number): string {
  const total = [...used.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return 'not measured (no /proc)';
  const ms = (s: number) => ((s * 1000) / units).toFixed(2);
  const parts = [...used].sort((a, b) => b[1] - a[1]).map(([label, s]) => `${label} ${ms(s)}`);
  return `${ms(total)} ms: ${parts.join(', ')}`;
}
