// `npm run up`: the whole platform on this machine — Postgres and NATS (found or embedded), the six
// services, then one demo SMS end to end. Keeps running until Ctrl-C / SIGTERM.
//   --once    run the demo, shut everything down, exit 0 (demo delivered) or 1 (CI smoke test)
//   --quiet   show only the services' warnings and errors
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ensureInfra, type Infra } from './infra';
import { runDemo } from './lib/demo';
import { bold, dim, green, prefixer, red } from './lib/log';
import { canBind, isListening, waitForPort, waitUntil } from './lib/net';
import { repoRoot, statePath } from './lib/paths';
import { isRunning } from './lib/proc';
import { PORTS, SMPP, serviceSpecs, Supervisor, type Running } from './lib/services';

const argv = process.argv.slice(2);
const once = argv.includes('--once');
const quiet = argv.includes('--quiet');
const STARTUP_TIMEOUT_MS = 90_000; // first start compiles with tsx on a 2-core machine

const specs = serviceSpecs();
const prefix = prefixer(['up', 'infra', ...specs.map((s) => s.name)]);
const say = (who: 'up' | 'infra', line: string) => console.log(prefix(who) + line);

let infra: Infra | undefined;
let supervisor: Supervisor | undefined;
let shutdown: Promise<never> | undefined;
let firstSignalAt = 0;

/** Ordered stop: services first (they drain into Postgres/NATS), then the infra we started. */
function stopEverything(code: number): Promise<never> {
  shutdown ??= (async () => {
    await supervisor?.stopAll(10_000, (l) => say('up', l));
    await infra?.stop();
    process.exit(code);
  })();
  return shutdown;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    // `npm run up` forwards the terminal's Ctrl-C, so one keypress can arrive twice: only a
    // second Ctrl-C a moment later means "stop waiting".
    if (firstSignalAt && Date.now() - firstSignalAt > 1000) {
      say('up', red('forced exit; killing the services'));
      process.exit(130);
    }
    if (!firstSignalAt) say('up', `${signal}: shutting down (Ctrl-C again to force)…`);
    firstSignalAt ||= Date.now();
    void stopEverything(0);
  });
}
process.on('exit', () => supervisor?.killAllSync());

async function main(): Promise<void> {
  infra = await ensureInfra({ log: (l) => say('infra', l) });
  if (shutdown) return;
  const secret = devSecret();
  const commonEnv = {
    DATABASE_URL: infra.databaseUrl,
    NATS_URL: infra.natsUrl,
    AUTH_JWT_SECRET: secret,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    GRPC_HOST: '127.0.0.1', // a dev stack with a dev secret stays off the network
  };

  supervisor = new Supervisor(prefix, commonEnv, quiet ? 40 : 30);
  for (const spec of specs) {
    for (const port of spec.ports) {
      if (await isListening(port)) throw new Error(`port ${port} (${spec.name}) is already in use — is another \`npm run up\` running?`);
      if (!(await canBind(port))) {
        // Held by a connection (not a listener): it goes away by itself within a minute.
        say('up', dim(`port ${port} is held by a closing connection; waiting for it…`));
        await waitUntil(`port ${port} to be free`, () => canBind(port), {
          timeoutMs: 90_000,
          progress: (s) => say('up', dim(`still waiting for port ${port}… ${s} s`)),
        });
      }
    }
    const entry = `apps/${spec.name}/src/main.ts`;
    if (!existsSync(join(repoRoot, entry))) throw new Error(`${entry} does not exist — cannot start ${spec.name}`);
    say('up', `starting ${spec.name}…`);
    const running = supervisor.start(spec);
    for (const port of spec.ports) {
      await waitForPort(spec.name, port, {
        timeoutMs: STARTUP_TIMEOUT_MS,
        progress: (s) => say('up', dim(`waiting for ${spec.name} on :${port}… ${s} s`)),
        abort: () => {
          // Any service may die while we wait, not only the one we are waiting for.
          const dead = supervisor!.running.find((r) => !isRunning(r.child));
          return dead && `${dead.spec.name} exited (${exitText(dead)}) during startup; last lines:\n${lastLines(dead)}`;
        },
      }).catch((err: Error) => {
        const timedOut = supervisor!.running.every((r) => isRunning(r.child));
        throw new Error(timedOut ? `${err.message}; last lines of ${spec.name}:\n${lastLines(running)}` : err.message);
      });
    }
    say('up', green(`${spec.name} is up`) + dim(` (${spec.ports.map((p) => `:${p}`).join(', ')})`));
  }

  supervisor.onUnexpectedExit = (r) => {
    say('up', red(`${r.spec.name} exited unexpectedly (${exitText(r)}); last lines:`));
    console.log(lastLines(r));
    void stopEverything(1);
  };

  const cliEnv = {
    ...process.env,
    AUTH_JWT_SECRET: secret,
    SABIA_SENDING_ADDR: `127.0.0.1:${PORTS.sending}`,
    SABIA_STATUS_ADDR: `127.0.0.1:${PORTS.status}`,
    SABIA_BILLING_ADDR: `127.0.0.1:${PORTS.billing}`,
  };
  const demo = await runDemo(cliEnv, (l) => say('up', l));
  if (!demo.ok) {
    say('up', red('demo failed: ') + demo.reason.replace(/\n/g, '\n    '));
    return void (await stopEverything(1));
  }
  say('up', green(`demo SMS ${demo.id} delivered:`));
  console.log(demo.status.replace(/^/gm, '    '));
  printAddresses(demo.id);
  if (once) return void (await stopEverything(0));
  say('up', bold('running — Ctrl-C stops everything'));
}

function printAddresses(id: string): void {
  const secretFile = relative(repoRoot, statePath('dev-secret'));
  const rows: Array<[string, string]> = [
    ['status page', `http://127.0.0.1:${PORTS.statusPage}/`],
    ['sending', `127.0.0.1:${PORTS.sending} (gRPC sabia.sending.v1)`],
    ['status-tracking', `127.0.0.1:${PORTS.status} (gRPC sabia.status.v1)`],
    ['billing', `127.0.0.1:${PORTS.billing} (gRPC sabia.billing.v1)`],
    ['ticketing', `127.0.0.1:${PORTS.ticketing} (gRPC sabia.ticketing.v1)`],
    ['incident', `127.0.0.1:${PORTS.incident} (gRPC sabia.incident.v1)`],
    ['carrier-sim', `smpp://127.0.0.1:${SMPP.port}, control http://127.0.0.1:${PORTS.carrierHttp}/`],
    ['Postgres / NATS', `${redact(infra!.databaseUrl)} / ${infra!.natsUrl}`],
    ['CLI', `npm run sabia -- status ${id}   (its dev token comes from ${secretFile})`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`  ${bold(k.padEnd(width))}  ${v}`);
}

/** AUTH_JWT_SECRET from the environment, else the one in .sabia/dev-secret, made on first run. */
function devSecret(): string {
  if (process.env.AUTH_JWT_SECRET) return process.env.AUTH_JWT_SECRET;
  const file = statePath('dev-secret');
  if (existsSync(file)) {
    const saved = readFileSync(file, 'utf8').trim();
    if (saved.length >= 32) return saved;
  }
  const secret = randomBytes(32).toString('base64url'); // 43 characters
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  say('up', `generated a dev AUTH_JWT_SECRET in ${relative(repoRoot, file)}`);
  return secret;
}

const exitText = (r: Running) => (r.child.signalCode ? `signal ${r.child.signalCode}` : `exit code ${r.child.exitCode}`);
const lastLines = (r: Running) => r.tail.slice(-15).join('\n').replace(/^/gm, '    ') || '    (it printed nothing)';
const redact = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');

main().catch((err: Error) => {
  say('up', red(err.message));
  void stopEverything(1);
});
