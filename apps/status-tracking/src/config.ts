import { allowedNetworks, commonEnv, parseConfig, z } from '@sabia/config';

const schema = z.object({
  ...commonEnv,
  GRPC_PORT: z.coerce.number().int().min(0).max(65535).default(50052),
  CALLBACK_ALLOWED_NETWORKS: allowedNetworks,
  /** How long a receiver has to answer one callback. */
  CALLBACK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  /** Callbacks in flight at once per replica (at most 32 connections to any one receiver). */
  CALLBACK_CONCURRENCY: z.coerce.number().int().min(1).max(2_000).default(256),
  /** Multiplies retry delays and the 24-hour retry window (tests compress them; 1 in production). */
  CALLBACK_RETRY_SCALE: z.coerce.number().positive().max(1).default(1),
});

export type StatusConfig = z.infer<typeof schema>;
export const loadConfig = () => parseConfig(schema);
