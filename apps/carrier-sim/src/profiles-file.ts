import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { SmscAccount } from './smsc/types';

const ms = z.number().int().min(0);
const share = z.number().min(0).max(1);

const accountSchema = z.strictObject({
  systemId: z.string().min(1).max(15),
  /** Defaults to SMPP_PASSWORD. */
  password: z.string().min(1).max(8).optional(),
  submitDelayMs: ms.default(0),
  receiptDelayMs: ms.default(200),
  receiptDelayMaxMs: ms.optional(),
  sendsReceipts: z.boolean().default(true),
  deliveredShare: share.default(1),
  maxSubmitsPerSecond: z.number().int().min(0).default(0),
  rejectShare: share.default(0),
  rejectStatus: z.number().int().min(1).optional(),
  bindDropMeanSeconds: z.number().min(0).default(0),
  receiptBeforeResponse: z.boolean().default(false),
  duplicateReceiptShare: share.default(0),
});

const fileSchema = z.strictObject({ accounts: z.array(accountSchema).min(1) });

/**
 * Reads the carrier profiles file. Every delay is multiplied by timeScale, so a profile that
 * answers "hours later" can run in a test in seconds without being rewritten.
 */
export function readProfilesFile(path: string, defaults: { password: string; timeScale: number }): SmscAccount[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read carrier profiles from ${path}: ${(err as Error).message}`);
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid carrier profiles in ${path}:\n${problems.join('\n')}`);
  }
  const scale = (value: number | undefined) => (value === undefined ? undefined : Math.round(value * defaults.timeScale));
  return parsed.data.accounts.map(({ systemId, password, ...profile }) => ({
    systemId,
    password: password ?? defaults.password,
    profile: {
      ...profile,
      submitDelayMs: scale(profile.submitDelayMs)!,
      receiptDelayMs: scale(profile.receiptDelayMs)!,
      receiptDelayMaxMs: scale(profile.receiptDelayMaxMs),
    },
  }));
}
