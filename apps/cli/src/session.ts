import { signToken } from '@sabia/auth';
import { billing, sending, status } from '@sabia/contracts';
import { createClient } from '@sabia/grpc-kit';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliConfig } from './config';

/** The CLI's clients and token: what every command needs. */
export interface Session {
  token: string;
  sending: sending.SendingServiceClient;
  status: status.StatusServiceClient;
  billing: billing.BillingServiceClient;
  close(): void;
}

async function resolveToken(config: CliConfig): Promise<string> {
  if (config.SABIA_TOKEN) return config.SABIA_TOKEN;
  const devSecretFile = join(process.cwd(), '.sabia/dev-secret');
  const secret = config.AUTH_JWT_SECRET ?? (existsSync(devSecretFile) ? readFileSync(devSecretFile, 'utf8').trim() : undefined);
  if (!secret) {
    throw new Error('no credentials: set SABIA_TOKEN, or AUTH_JWT_SECRET for a dev token (npm run up writes .sabia/dev-secret)');
  }
  return signToken(secret, {
    kind: 'user',
    accountId: config.SABIA_ACCOUNT,
    subaccountId: config.SABIA_SUBACCOUNT,
    userId: config.SABIA_USER,
    role: config.SABIA_ROLE,
  });
}

export async function openSession(config: CliConfig): Promise<Session> {
  const session = {
    token: await resolveToken(config),
    sending: createClient(sending.SendingServiceClient, config.SABIA_SENDING_ADDR),
    status: createClient(status.StatusServiceClient, config.SABIA_STATUS_ADDR),
    billing: createClient(billing.BillingServiceClient, config.SABIA_BILLING_ADDR),
  };
  return { ...session, close: () => [session.sending, session.status, session.billing].forEach((c) => c.close()) };
}
