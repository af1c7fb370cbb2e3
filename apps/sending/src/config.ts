import { commonEnv, grpcAddress, parseConfig, z } from '@sabia/config';

const schema = z.object({
  ...commonEnv,
  GRPC_PORT: z.coerce.number().int().min(0).max(65535).default(50051),
  BILLING_GRPC_ADDR: grpcAddress.default('127.0.0.1:50053'),
  SMPP_URL: z.string().regex(/^smpps?:\/\/[^/]+:\d+$/, 'expected smpp://host:port').default('smpp://127.0.0.1:2775'),
  SMPP_SYSTEM_ID: z.string().min(1).max(15).default('sabia'),
  SMPP_PASSWORD: z.string().max(8).default('sabia'),
  /** In-flight submit_sm per bind before we wait for responses. */
  SMPP_WINDOW: z.coerce.number().int().min(1).max(100).default(10),
  /** Name of the carrier behind SMPP_URL until carrier routing lands. */
  SMPP_CARRIER: z.string().min(1).default('sim'),
  /** Sender id shown on handsets. */
  SMS_SOURCE_ADDR: z.string().default('SABIA'),
});

export type SendingConfig = z.infer<typeof schema>;
export const loadConfig = () => parseConfig(schema);
