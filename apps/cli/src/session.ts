import { signToken } from '@sabia/auth';
import { billing, sending, status } from '@sabia/contracts';
import { createClient } from '@sabia/grpc-kit';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliConfig } from './config';

/** The CLI's clients and token: what every command needs. */
export interface Session {
  token: string;
  /** The account the user token acts for (SABIA_ACCOUNT, or what SABIA_TOKEN says). */
  account: string;
  /** A Sabiá operator's (service) token, for operator commands; needs SABIA_OPERATOR_TOKEN or the JWT secret. */
  operatorToken(): Promise<string>;
  sending: sending.SendingServiceClient;
  status: status.StatusServiceClient;
  billing: billing.BillingServiceClient;
  close(): void;
}

function devSecret(config: CliConfig): string | undefined {
  const devSecretFile = join(process.cwd(), '.sabia/dev-secret');
  return config.AUTH_JWT_SECRET ?? (existsSync(devSecretFile) ? readFileSync(devSecretFile, 'utf8').trim() : undefined);
}

async function resolveOperatorToken(config: CliConfig): Promise<string> {
  if (config.SABIA_OPERATOR_TOKEN) return config.SABIA_OPERATOR_TOKEN;
  const secret = devSecret(config);
  if (!secret) throw new Error('this is an operator command: set SABIA_OPERATOR_TOKEN (a service token), or AUTH_JWT_SECRET in development');
  return signToken(secret, { kind: 'service', service: 'sabia-cli' });
}

async function resolveToken(config: CliConfig): Promise<string> {
  if (config.SABIA_TOKEN) return config.SABIA_TOKEN;
  const secret = devSecret(config);
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
    operatorToken: () => resolveOperatorToken(config),
    account: config.SABIA_ACCOUNT,
    sending: createClient(sending.SendingServiceClient, config.SABIA_SENDING_ADDR),
    status: createClient(status.StatusServiceClient, config.SABIA_STATUS_ADDR),
    billing: createClient(billing.BillingServiceClient, config.SABIA_BILLING_ADDR),
  };
  return { ...session, close: () => [session.sending, session.status, session.billing].forEach((c) => c.close()) };
}
