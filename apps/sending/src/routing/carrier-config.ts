import { readFileSync } from 'node:fs';
import { z } from 'zod';

// SMPP 3.4: system_id at most 15 characters, password at most 8.
const bindSchema = z
  .strictObject({
    /** smpp://host:port, or smpps://host:port for TLS. */
    url: z.string().regex(/^smpps?:\/\/[^/:]+:\d+$/, 'expected smpp://host:port or smpps://host:port'),
    systemId: z.string().min(1).max(15),
    /** The password itself (development), or the name of the environment variable holding it. */
    password: z.string().max(8).optional(),
    passwordEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/).optional(),
    /** Parallel binds with these credentials. */
    count: z.number().int().min(1).max(32).default(1),
    /** submit_sm in flight per bind before we wait for responses. */
    window: z.number().int().min(1).max(100).default(10),
    /** submit_sm per second per bind; 0 means no cap of ours (the carrier may still throttle). */
    maxPerSecond: z.number().int().min(0).default(0),
  })
  .refine((b) => (b.password === undefined) !== (b.passwordEnv === undefined), 'give exactly one of password and passwordEnv');

const carrierSchema = z.strictObject({
  /** Stored on every message and used to match receipts: never rename a carrier in use. */
  id: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'lowercase letters, digits and dashes'),
  name: z.string().min(1),
  /** False: long texts go as separate parts marked "(1/2)", "(2/2)". */
  concatenates: z.boolean().default(true),
  /** False: texts are transliterated to GSM-7 (á→a, ç→c) whatever the customer's setting. */
  acceptsAccents: z.boolean().default(true),
  /** False (Oi, Sercomtel): messages end at the first level. */
  sendsReceipts: z.boolean().default(true),
  binds: z.array(bindSchema).min(1),
});

const fileSchema = z.strictObject({
  carriers: z.array(carrierSchema).min(1),
  /**
   * Number ranges: digits of the E.164 number without "+", where "x" matches any digit
   * ("55xx99" is every Brazilian area code's 99 block). The most specific match wins.
   */
  ranges: z.array(z.strictObject({ prefix: z.string().regex(/^\d[\dx]*$/, 'digits, or x for any digit'), carrier: z.string() })),
  /** Carrier for destinations outside Brazil; unset: they have no route (214). */
  international: z.string().optional(),
});

export type CarrierFile = z.infer<typeof fileSchema>;
export type BindConfig = Omit<z.infer<typeof bindSchema>, 'password' | 'passwordEnv'> & { password: string };
export type Carrier = Omit<z.infer<typeof carrierSchema>, 'binds'> & { binds: BindConfig[] };

export interface CarrierConfig {
  carriers: Carrier[];
  ranges: Array<{ prefix: string; carrier: string }>;
  international?: string;
}

/**
 * Parses the carriers file (routes and binds are configuration: a new range, bind or carrier
 * is a file change and a restart, never a code change). Every problem is reported at once,
 * naming the file; passwords may come from the environment so none needs to sit in a file.
 */
export function parseCarrierConfig(raw: unknown, source: string, env: NodeJS.ProcessEnv = process.env): CarrierConfig {
  const parsed = fileSchema.safeParse(expandUrls(raw, env));
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  if (parsed.success) {
    const file = parsed.data;
    const ids = new Set<string>();
    for (const c of file.carriers) {
      if (ids.has(c.id)) problems.push(`carriers: ${c.id} is listed twice`);
      ids.add(c.id);
    }
    for (const [i, r] of file.ranges.entries()) {
      if (!ids.has(r.carrier)) problems.push(`ranges.${i}: unknown carrier ${r.carrier}`);
    }
    if (file.international && !ids.has(file.international)) problems.push(`international: unknown carrier ${file.international}`);
    for (const [ci, c] of file.carriers.entries()) {
      for (const [bi, b] of c.binds.entries()) {
        if (b.passwordEnv && env[b.passwordEnv] === undefined) problems.push(`carriers.${ci}.binds.${bi}: environment variable ${b.passwordEnv} is not set`);
      }
    }
  }
  if (problems.length > 0) throw new Error(`invalid carrier configuration in ${source}:\n  ${problems.join('\n  ')}`);
  const file = parsed.data!;
  return {
    ranges: file.ranges,
    international: file.international,
    carriers: file.carriers.map((c) => ({
      ...c,
      binds: c.binds.map(({ password, passwordEnv, ...bind }) => ({ ...bind, password: password ?? env[passwordEnv!]! })),
    })),
  };
}

/**
 * Bind URLs and passwords may come from the environment, as in compose files:
 * "smpp://${CARRIER_SIM_ADDR:-127.0.0.1:2775}" lets one file serve a laptop, a compose network
 * and a test on an ephemeral port; "${SMPP_PASSWORD:-sabia}" keeps a staging secret out of it.
 */
function expandUrls(raw: unknown, env: NodeJS.ProcessEnv): unknown {
  const file = raw as { carriers?: Array<{ binds?: Array<{ url?: unknown; password?: unknown }> }> };
  if (!Array.isArray(file?.carriers)) return raw;
  const expand = (url: string) =>
    url.replace(/\$\{([A-Z_][A-Z0-9_]*)(?::-([^}]*))?\}/g, (_, name: string, fallback?: string) => env[name] || fallback || '');
  return {
    ...file,
    carriers: file.carriers.map((c) =>
      Array.isArray(c?.binds)
        ? {
            ...c,
            binds: c.binds.map((b) => ({
              ...b,
              ...(typeof b?.url === 'string' ? { url: expand(b.url) } : {}),
              ...(typeof b?.password === 'string' ? { password: expand(b.password) } : {}),
            })),
          }
        : c,
    ),
  };
}

export function loadCarrierConfig(path: string, env: NodeJS.ProcessEnv = process.env): CarrierConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read the carrier configuration ${path}: ${(err as Error).message}`);
  }
  return parseCarrierConfig(raw, path, env);
}
