import { grpcAddress, parseConfig, z } from '@sabia/config';
import { ROLES } from '@sabia/auth';

const schema = z.object({
  SABIA_SENDING_ADDR: grpcAddress.default('127.0.0.1:50051'),
  SABIA_STATUS_ADDR: grpcAddress.default('127.0.0.1:50052'),
  SABIA_BILLING_ADDR: grpcAddress.default('127.0.0.1:50053'),
  /** A bearer token; without one, a dev token is minted from AUTH_JWT_SECRET or .sabia/dev-secret. */
  SABIA_TOKEN: z.string().optional(),
  /** A service token for operator commands (billing reconcile); minted from AUTH_JWT_SECRET in development. */
  SABIA_OPERATOR_TOKEN: z.string().optional(),
  AUTH_JWT_SECRET: z.string().min(32).optional(),
  SABIA_ACCOUNT: z.string().default('demo'),
  SABIA_SUBACCOUNT: z.string().default('demo-main'),
  SABIA_USER: z.string().default('cli'),
  SABIA_ROLE: z.enum(ROLES).default('administrador'),
});

export type CliConfig = z.infer<typeof schema>;
export const loadConfig = () => parseConfig(schema);
