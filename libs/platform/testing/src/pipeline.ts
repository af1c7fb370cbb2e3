import { signToken, type UserPrincipal } from '@sabia/auth';
import { billing, sending, status } from '@sabia/contracts';
import { callUnary, createClient } from '@sabia/grpc-kit';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { testEnv } from './env';
import { startOtlpReceiver } from './otlp-receiver';
import { freePort, REPO_ROOT, spawnService, waitFor, type ServiceProcess } from './service-process';
import { dropNamespace } from './nats-namespace';
import { createTestDatabase, testNamespace } from './test-database';

export const SECRET = randomBytes(24).toString('hex');

/**
 * The whole SMS path as separate processes — carrier-sim, billing, status-tracking, sending —
 * on a fresh database, their own NATS namespace and a real OTLP endpoint.
 */
export async function startPipeline(
  opts: {
    otlp?: boolean;
    carrier?: boolean;
    profiles?: Record<string, Record<string, unknown>>;
    /** Extra environment per service (a benchmark's own carriers file, say). */
    env?: Partial<Record<'carrier-sim' | 'billing' | 'status-tracking' | 'sending', Record<string, string>>>;
  } = {},
) {
  // carrier: false runs no carrier-sim and an API-only sending (SENDING_DISPATCH=false), so
  // nothing is submitted: for measuring acceptance alone.
  const withCarrier = opts.carrier !== false;
  const profilesFile = writeProfiles(opts.profiles ?? {});
  const db = await createTestDatabase();
  const otlp = await startOtlpReceiver();
  const [smppPort, simHttpPort, sendingPort, statusPort, billingPort] = await Promise.all(
    Array.from({ length: 5 }, freePort),
  );
  const common = {
    DATABASE_URL: db.url,
    NATS_URL: testEnv.NATS_URL,
    NATS_NAMESPACE: testNamespace(),
    AUTH_JWT_SECRET: SECRET,
    LOG_LEVEL: 'info', // readiness is read from the 'ready' log line
    GRPC_HOST: '127.0.0.1',
    ...(opts.otlp === false ? {} : { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint, OTEL_BSP_SCHEDULE_DELAY: '100' }),
  };
  const env = {
    'carrier-sim': { ...common, SMPP_PORT: String(smppPort), HTTP_PORT: String(simHttpPort), PROFILES_FILE: profilesFile },
    billing: { ...common, GRPC_PORT: String(billingPort) },
    // Callbacks may reach a receiver on loopback, and retry in milliseconds instead of minutes.
    'status-tracking': { ...common, GRPC_PORT: String(statusPort), CALLBACK_ALLOWED_NETWORKS: '127.0.0.1/32', CALLBACK_RETRY_SCALE: '0.001' },
    sending: {
      ...common,
      GRPC_PORT: String(sendingPort),
      BILLING_GRPC_ADDR: `127.0.0.1:${billingPort}`,
      CALLBACK_ALLOWED_NETWORKS: '127.0.0.1/32',
      ...(withCarrier ? {} : { SENDING_DISPATCH: 'false' }),
      // Every carrier in config/carriers.json binds to this carrier-sim, by its own system_id.
      CARRIER_SIM_ADDR: `127.0.0.1:${smppPort}`,
    },
  };
  const ready: Record<keyof typeof env, RegExp> = {
    'carrier-sim': /http control listening/,
    billing: /"msg":"ready"/,
    'status-tracking': /"msg":"ready"/,
    sending: /"msg":"ready"/
  };
  const processes = new Map<string, ServiceProcess>();
  const start = async (app: keyof typeof env) => {
    const proc = spawnService(app, { ...env[app], ...opts.env?.[app] });
    processes.set(app, proc);
    await proc.waitForOutput(ready[app], 60_000);
    return proc;
  };
  if (withCarrier) await start('carrier-sim');
  await Promise.all([start('billing'), start('status-tracking')]);
  await start('sending');

  const clients = {
    sending: createClient(sending.SendingServiceClient, `127.0.0.1:${sendingPort}`),
    status: createClient(status.StatusServiceClient, `127.0.0.1:${statusPort}`),
    billing: createClient(billing.BillingServiceClient, `127.0.0.1:${billingPort}`),
  };

  /** Environment for the `sabia` CLI to talk to this pipeline as `account`. */
  const cliEnv = (account: string): NodeJS.ProcessEnv => ({
    ...process.env,
    SABIA_SENDING_ADDR: `127.0.0.1:${sendingPort}`,
    SABIA_STATUS_ADDR: `127.0.0.1:${statusPort}`,
    SABIA_BILLING_ADDR: `127.0.0.1:${billingPort}`,
    AUTH_JWT_SECRET: SECRET,
    SABIA_ACCOUNT: account,
    SABIA_SUBACCOUNT: `${account}-main`,
    NO_COLOR: '1',
  });

  return {
    db,
    otlp,
    /** The NATS namespace the services share (to publish or read their events in a test). */
    natsNamespace: common.NATS_NAMESPACE,
    cliEnv,
    /** Runs the `sabia` CLI against this pipeline as `account` (administrador). */
    runCli: (account: string, args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'apps/cli/src/main.ts', ...args], { cwd: REPO_ROOT, env: cliEnv(account) });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c));
        child.stderr.on('data', (c: Buffer) => (stderr += c));
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      }),
    /** One SQL statement on the pipeline's database (to look behind the services in a test). */
    async query(text: string, params: unknown[] = []) {
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        return (await client.query(text, params)).rows;
      } finally {
        await client.end();
      }
    },
    /** carrier-sim's HTTP control API (counts, submits, MO injection). */
    simUrl: `http://127.0.0.1:${simHttpPort}`,
    clients,
    /** The services' gRPC addresses (host:port), for clients other than `clients`. */
    addresses: { sending: `127.0.0.1:${sendingPort}`, status: `127.0.0.1:${statusPort}`, billing: `127.0.0.1:${billingPort}` },
    processes,
    start,
    tokenFor: (account: string, role: UserPrincipal['role'] = 'administrador') =>
      signToken(SECRET, { kind: 'user', accountId: account, subaccountId: `${account}-main`, userId: 'u1', role }),
    call: callUnary,
    /** SendSms with defaults for every field a test does not care about (a fresh idempotency key). */
    sendSms: (token: string, req: Partial<sending.SendSmsRequest> = {}) =>
      callUnary(clients.sending, clients.sending.sendSms, {
        to: '+5511987654321',
        text: 'Olá, Sabiá',
        idempotencyKey: `k-${randomBytes(8).toString('hex')}`,
        correlationId: '',
        callbackUrl: '',
        validitySeconds: 0,
        ...req,
      }, { token }),
    /**
     * A message's status once both its levels are in. A receipt may be recorded before the
     * first level (they travel on separate consumers), so the second level alone is not enough.
     */
    bothLevels: (token: string, messageId: string, timeoutMs = 20_000) =>
      waitFor(async () => {
        const { status: s } = await callUnary(clients.status, clients.status.getStatus, { messageId }, { token });
        return s?.sentStatus && s.deliveredStatus ? s : undefined;
      }, `both status levels of ${messageId}`, timeoutMs),
    async stop() {
      for (const client of Object.values(clients)) client.close();
      await Promise.all([...processes.values()].map((p) => p.stop()));
      await otlp.close();
      await db.drop();
      await dropNamespace(testEnv.NATS_URL, common.NATS_NAMESPACE);
    },
  };
}

/**
 * carrier-sim profiles for the shipped carriers, fast and deterministic: receipts after 50 ms,
 * every message delivered, Oi and Sercomtel without receipts, as in production.
 */
function writeProfiles(overrides: Record<string, Record<string, unknown>>): string {
  const carriers = JSON.parse(readFileSync(join(REPO_ROOT, 'config/carriers.json'), 'utf8')) as { carriers: Array<{ id: string; sendsReceipts?: boolean }> };
  const accounts = carriers.carriers.map((c) => ({
    systemId: c.id,
    receiptDelayMs: 50,
    sendsReceipts: c.sendsReceipts !== false,
    ...overrides[c.id],
  }));
  const path = join(mkdtempSync(join(tmpdir(), 'sabia-sim-')), 'profiles.json');
  writeFileSync(path, JSON.stringify({ accounts }));
  return path;
}

export type Pipeline = Awaited<ReturnType<typeof startPipeline>>;
