import { allowedNetworks, commonEnv, grpcAddress, parseConfig, z } from '@sabia/config';
import { SHIPPED_CARRIERS_FILE } from './routing/shipped-carriers';

const schema = z.object({
  ...commonEnv,
  GRPC_PORT: z.coerce.number().int().min(0).max(65535).default(50051),
  BILLING_GRPC_ADDR: grpcAddress.default('127.0.0.1:50053'),
  /**
   * false: this replica accepts and stores messages but neither binds to carriers nor submits
   * (scale the API and the SMPP side apart; at least one replica must dispatch).
   */
  SENDING_DISPATCH: z.stringbool().default(true),
  /** Carriers, their number ranges and SMPP binds (JSON; see config/carriers.json). */
  CARRIERS_FILE: z.string().min(1).default(SHIPPED_CARRIERS_FILE),
  /** Private networks callback URLs may name (see @sabia/config allowedNetworks); empty in production. */
  CALLBACK_ALLOWED_NETWORKS: allowedNetworks,
  /**
   * Single-part reservations billing makes ahead per account, subaccount, country and carrier,
   * so a SendSms does not wait on billing (billing/reservation-pool.ts): the most held per key
   * (0 turns the pool off), and how long one is held before it is released.
   */
  RESERVATION_POOL_MAX: z.coerce.number().int().min(0).max(10_000).default(1_000),
  RESERVATION_POOL_TTL_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /** Sender id shown on handsets. */
  SMS_SOURCE_ADDR: z.string().default('SABIA'),
});

export type SendingConfig = z.infer<typeof schema>;
export const loadConfig = () => parseConfig(schema);
