import { z } from 'zod';

// z.stringbool reads "true"/"false"/"1"/"0"/…; z.coerce.boolean would read "false" as true.
const port = z.coerce.number().int().min(0).max(65_535);
const delayMs = z.coerce.number().int().min(0);

const schema = z.object({
  SMPP_HOST: z.string().min(1).default('127.0.0.1'),
  SMPP_PORT: port.default(2775),
  HTTP_PORT: port.default(8081),
  SMPP_SYSTEM_ID: z.string().min(1).max(15).default('sabia'), // SMPP 3.4: system_id is at most 16 octets with the NUL
  SMPP_PASSWORD: z.string().min(1).max(8).default('sabia'), // and password at most 9
  RECEIPT_DELAY_MS: delayMs.default(200),
  SUBMIT_DELAY_MS: delayMs.default(0),
  /** Oi and Sercomtel profiles set this to false: they never send delivery receipts. */
  SENDS_RECEIPTS: z.stringbool().default(true),
  /** Share of receipts that report DELIVRD; the rest report UNDELIV. */
  DELIVERED_SHARE: z.coerce.number().min(0).max(1).default(1),
  /**
   * JSON file of more accounts, one per carrier profile ({"accounts": [{"systemId": "oi",
   * "sendsReceipts": false, ...}]}); they share this port, told apart by system_id.
   */
  PROFILES_FILE: z.string().optional(),
  /** Multiplies every delay in PROFILES_FILE: 0.001 turns "hours late" into seconds for a test. */
  TIME_SCALE: z.coerce.number().positive().default(1),
  /** Both set: SMPP is served over TLS with this PEM certificate and key (ESMEs use smpps://). */
  SMPP_TLS_CERT_FILE: z.string().optional().transform((v) => v || undefined), // empty = unset
  SMPP_TLS_KEY_FILE: z.string().optional().transform((v) => v || undefined),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
}).refine((c) => Boolean(c.SMPP_TLS_CERT_FILE) === Boolean(c.SMPP_TLS_KEY_FILE), {
  message: 'set both SMPP_TLS_CERT_FILE and SMPP_TLS_KEY_FILE (TLS), or neither (plain TCP)',
  path: ['SMPP_TLS_CERT_FILE'],
});

export type Config = z.infer<typeof schema>;

/** Parses the environment once at boot; lists every bad key at once instead of failing on the first. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid carrier-sim configuration:\n${problems.join('\n')}`);
  }
  return parsed.data;
}
