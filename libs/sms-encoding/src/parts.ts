import { gsm7Septets } from './gsm7';

export type Encoding = 'GSM7' | 'UCS2';

export interface PartCount {
  encoding: Encoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) the text occupies. */
  units: number;
  parts: number;
}

// One part carries 160 septets or 70 UCS-2 units; a concatenated part loses 6 octets to the
// UDH, leaving 153 / 67.
const LIMITS = { GSM7: { single: 160, multi: 153 }, UCS2: { single: 70, multi: 67 } } as const;

export function countParts(text: string): PartCount {
  const septets = gsm7Septets(text);
  const encoding: Encoding = septets === undefined ? 'UCS2' : 'GSM7';
  const units = septets ?? text.length;
  const limit = LIMITS[encoding];
  const parts = units <= limit.single ? 1 : Math.ceil(units / limit.multi);
  return { encoding, units, parts };
}
