// The services `npm run up` runs, in start order (each waits for the previous one's ports), and a
// small supervisor that starts them, prefixes their output and remembers their last lines.
// The constant alone: the runtime's index would load the services' whole platform here.
import { freshAppBundle } from '../../libs/platform/testing/src/app-bundle';
import { SERVICE_NODE_FLAGS } from '../../libs/platform/runtime/src/node-flags';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { compactLogLine } from './log';
import { repoRoot } from './paths';
import { isRunning, stopChild } from './proc';

export interface ServiceSpec {
  name: string;
  /** Ports it listens on; the service is up when all accept connections. */
  ports: number[];
  env: Record<string, string>;
}

export const SMPP = { port: 2775, password: 'sabia' };
export const PORTS = { sending: 50051, status: 50052, billing: 50053, ticketing: 50054, incident: 50055, statusPage: 8080, carrierHttp: 8081 };

/** Start order: the SMSC and billing first, since sending binds to one and reserves credit with the other. */
export function serviceSpecs(): ServiceSpec[] {
  const grpc = (port: number) => ({ GRPC_PORT: String(port) });
  return [
    {
      name: 'carrier-sim',
      ports: [SMPP.port, PORTS.carrierHttp],
      // One SMSC, one system_id per carrier of config/carriers.json (config/carrier-sim.json).
      env: { SMPP_PORT: String(SMPP.port), HTTP_PORT: String(PORTS.carrierHttp), SMPP_PASSWORD: SMPP.password, PROFILES_FILE: join(repoRoot, 'config/carrier-sim.json') },
    },
    { name: 'billing', ports: [PORTS.billing], env: grpc(PORTS.billing) },
    // Development: callbacks may go to a receiver on this machine (production allows no private address).
    { name: 'status-tracking', ports: [PORTS.status], env: { ...grpc(PORTS.status), CALLBACK_ALLOWED_NETWORKS: '127.0.0.1/32' } },
    {
      name: 'sending',
      ports: [PORTS.sending],
      env: {
        ...grpc(PORTS.sending),
        BILLING_GRPC_ADDR: `127.0.0.1:${PORTS.billing}`,
        CARRIER_SIM_ADDR: `127.0.0.1:${SMPP.port}`,
        CALLBACK_ALLOWED_NETWORKS: '127.0.0.1/32',
      },
    },
    { name: 'ticketing', ports: [PORTS.ticketing], env: grpc(PORTS.ticketing) },
    { name: 'incident', ports: [PORTS.incident, PORTS.statusPage], env: { ...grpc(PORTS.incident), HTTP_PORT: String(PORTS.statusPage) } },
  ];
}

export interface Running {
  spec: ServiceSpec;
  child: ChildProcess;
  /** The last lines it printed (compacted, all levels), for error reports. */
  tail: string[];
}

export class Supervisor {
  readonly running: Running[] = [];
  /** Called when a service exits while we are not stopping it. */
  onUnexpectedExit: (r: Running) => void = () => {};
  private stopping = false;

  constructor(
    /** Makes the coloured `name │` prefix (see prefixer()). */
    private readonly prefix: (name: string) => string,
    private readonly commonEnv: Record<string, string>,
    /** pino level below which service lines are dropped (30 info, 40 warn). */
    private readonly minLevel: number,
  ) {}

  start(spec: ServiceSpec): Running {
    // Built as the services run everywhere (appBundleOptions), from the sources as they are now.
    const [cmd, args] = [process.execPath, [...SERVICE_NODE_FLAGS, freshAppBundle(repoRoot, spec.name)]] as const;
    // OTEL_SERVICE_NAME set per service: one inherited from our shell would merge all six in Jaeger.
    const env = { ...process.env, ...this.commonEnv, OTEL_SERVICE_NAME: spec.name, ...spec.env };
    // detached: its own process group, so Ctrl-C reaches only us and we stop services in order.
    const child = spawn(cmd, args, { cwd: repoRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const running: Running = { spec, child, tail: [] };
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (raw) => this.onLine(running, raw));
    }
    child.once('exit', () => {
      if (!this.stopping) this.onUnexpectedExit(running);
    });
    this.running.push(running);
    return running;
  }

  private onLine(r: Running, raw: string): void {
    if (raw.trim()) r.tail.push(compactLogLine(raw, 0)!); // every level: debug lines help explain a crash
    if (r.tail.length > 30) r.tail.shift();
    const line = compactLogLine(raw, this.minLevel);
    if (line === undefined) return;
    for (const part of line.split('\n')) process.stdout.write(`${this.prefix(r.spec.name)}${part}\n`);
  }

  /**
   * SIGTERM every service, one at a time in the reverse of the order they started (SIGKILL
   * after graceMs): a service stops while what it depends on still runs. Sending gives its
   * pooled reservations back to billing as it stops, and carrier-sim, which sending is bound to,
   * goes last, so sending does not see its SMSC vanish and start reconnecting.
   */
  async stopAll(graceMs = 10_000, log: (line: string) => void = () => {}): Promise<void> {
    this.stopping = true;
    const alive = this.running.filter((r) => isRunning(r.child)).reverse();
    if (alive.length) log(`stopping ${alive.map((r) => r.spec.name).join(', ')}…`);
    for (const r of alive) {
      const how = await stopChild(r.child, { signal: 'SIGTERM', graceMs, group: true });
      if (how === 'killed') log(`${r.spec.name} did not stop within ${graceMs / 1000} s; killed`);
    }
  }

  /** Last resort on process exit: children are detached, so nothing else would stop them. */
  killAllSync(): void {
    for (const r of this.running) {
      if (!isRunning(r.child) || r.child.pid === undefined) continue;
      try {
        process.kill(-r.child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}
