import { commonEnv, parseConfig, z } from '@sabia/config';

const schema = z.object({
  ...commonEnv,
  GRPC_PORT: z.coerce.number().int().min(0).max(65535).default(50053),
  /** Price of one SMS part (centavos) when no price-list row applies (prices table, SetPrice). */
  DEFAULT_SMS_PART_PRICE: z.coerce.bigint().positive().default(5n),
  /** Billing currency of accounts without their own (SetBillingCurrency). */
  DEFAULT_CURRENCY: z.string().length(3).default('BRL'),
  /** How long a reservation may wait for its carrier answer before it is voided. */
  PENDING_TIMEOUT_HOURS: z.coerce.number().positive().default(72),
});

export type BillingConfig = z.infer<typeof schema>;
export const loadConfig = () => parseConfig(schema);
