import { InvalidArgumentError } from '@sabia/errors';

// SMS data coding 0x08 is named UCS-2, but handsets read it as UTF-16BE: characters beyond
// the BMP (emoji) travel as surrogate pairs and count as two units. A pair cut between two
// parts shows as two replacement characters, so nothing here may separate one.

export const isHighSurrogate = (unit: number): boolean => unit >= 0xd800 && unit <= 0xdbff;
export const isLowSurrogate = (unit: number): boolean => unit >= 0xdc00 && unit <= 0xdfff;

/** A lone surrogate is damaged text: no handset can show it, so it is refused, not sent. */
export function assertWellFormed(text: string): void {
  if (text.isWellFormed()) return;
  let index = 0;
  for (const char of text) {
    // Iterating by code point, a surrogate on its own is the only one-unit surrogate.
    if (char.length === 1 && (isHighSurrogate(char.charCodeAt(0)) || isLowSurrogate(char.charCodeAt(0)))) break;
    index += char.length;
  }
  throw new InvalidArgumentError('text contains a lone surrogate (it is not valid Unicode)', { index });
}

/** UTF-16BE octets of `text`, two per code unit. */
export function encodeUcs2(text: string): Uint8Array {
  assertWellFormed(text);
  const octets = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    octets[2 * i] = unit >> 8;
    octets[2 * i + 1] = unit & 0xff;
  }
  return octets;
}

/**
 * Text of UTF-16BE octets. Lone surrogates are kept as they came: this reads what a carrier
 * sent (one part of a longer message may end in half a pair), it does not judge it.
 */
export function decodeUcs2(octets: ArrayLike<number>): string {
  if (octets.length % 2 !== 0) {
    throw new InvalidArgumentError(`UCS-2 data has an odd number of octets (${octets.length})`, { length: octets.length });
  }
  let text = '';
  for (let i = 0; i < octets.length; i += 2) text += String.fromCharCode((octets[i]! << 8) | octets[i + 1]!);
  return text;
}
