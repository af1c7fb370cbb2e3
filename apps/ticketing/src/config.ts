import { commonEnv, parseConfig, z } from '@sabia/config';

const schema = z.object({
  ...commonEnv,
  GRPC_PORT: z.coerce.number().int().min(0).max(65535).default(50054),
});

export type TicketingConfig = z.infer<typeof schema>;
export const loadConfig = () => parseConfig(schema);
