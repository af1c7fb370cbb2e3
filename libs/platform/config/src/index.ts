import { z } from 'zod';

/**
 * Parses an app's environment once, at boot. Every problem is listed at once (not the first
 * one only), so an operator fixes a deployment in one go. Apps call this from their own
 * config.ts; no other code reads process.env.
 */
export function parseConfig<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map(
    (issue) => `  - ${issue.path.join('.') || '(root)'}: ${issue.message}`,
  );
  throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Keys every service shares; apps extend this object. */
export const commonEnv = {
  DATABASE_URL: z.string().url().describe('PostgreSQL URL'),
  /** Connections per process; a send holds one for its whole transaction. */
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  NATS_URL: z.string().default('nats://127.0.0.1:4222'),
  /** Prefix for subjects and streams, so parallel test runs share one NATS server safely. */
  NATS_NAMESPACE: z.string().regex(/^[a-z0-9_-]*$/i).default(''),
  AUTH_JWT_SECRET: z.string().min(32, 'must be at least 32 characters'),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  GRPC_HOST: z.string().default('0.0.0.0'),
};

/**
 * CIDRs customer URLs (callbacks, webhooks) may reach although private, comma-separated.
 * Empty in production: SSRF protection refuses loopback, private, link-local and metadata
 * addresses. Development and tests set 127.0.0.1/32 to call a local receiver.
 */
export const allowedNetworks = z
  .string()
  .default('')
  .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
  .refine((list) => list.every((c) => /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(c)), 'expected CIDRs like 127.0.0.1/32');

/** host:port of another service. */
export const grpcAddress = z.string().regex(/^[^:\s]+:\d+$/, 'expected host:port');
export { z };
