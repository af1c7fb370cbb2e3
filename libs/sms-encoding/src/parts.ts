import type { Encoding } from './segment';
import { gsm7Septets } from './gsm7';
import { PART_LIMITS, splitMessage } from './split';

export type { Encoding };

export interface PartCount {
  encoding: Encoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) the text occupies. */
  units: number;
  parts: number;
}

/**
 * How many parts the text takes, as splitMessage will send it (and billing reserves): not
 * units / 153, since an extension character or a surrogate pair that would straddle a
 * boundary moves whole to the next part; for a carrier that cannot concatenate, "(i/n) "
 * prefixes take room too. Throws for a lone surrogate.
 */
export function countParts(text: string, options: { concatenate: boolean } = { concatenate: true }): PartCount {
  // Most messages fit one part: counting is enough, without encoding anything (a batch of
  // 10,000 personalised texts counts 10,000 different texts).
  const septets = gsm7Septets(text);
  if (septets !== undefined && septets <= PART_LIMITS.GSM7.single) return { encoding: 'GSM7', units: septets, parts: 1 };
  if (septets === undefined && text.length <= PART_LIMITS.UCS2.single && text.isWellFormed()) return { encoding: 'UCS2', units: text.length, parts: 1 };
  const { encoding, units, parts } = splitMessage(text, { reference: 0, concatenate: options.concatenate });
  return { encoding, units, parts: parts.length };
}
