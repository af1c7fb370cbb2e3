import { InvalidArgumentError } from '@sabia/errors';
import { GSM7_BASIC } from './gsm7';

/** A character that GSM 03.38 (basic or extension table) cannot carry. */
export class NotGsm7Error extends InvalidArgumentError {
  constructor(readonly character: string, readonly index: number) {
    const hex = (character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    super(`character U+${hex} at index ${index} is not in the GSM 03.38 alphabet`, { character: `U+${hex}`, index });
  }
}

/** The escape septet: the next septet is read from the extension table. */
export const GSM7_ESCAPE = 0x1b;

// 3GPP TS 23.038 §6.2.1.1: the extension characters and their codes after the escape.
// (GSM7_EXTENSION in gsm7.ts lists the same characters, without their codes.)
const EXTENSION_CODES: ReadonlyArray<readonly [string, number]> = [
  ['\f', 0x0a], ['^', 0x14], ['{', 0x28], ['}', 0x29], ['\\', 0x2f],
  ['[', 0x3c], ['~', 0x3d], [']', 0x3e], ['|', 0x40], ['€', 0x65],
];

const basicEncode = new Map<string, number>();
Array.from(GSM7_BASIC).forEach((char, code) => {
  // 0x1B is the escape itself, never a character of the text.
  if (code !== GSM7_ESCAPE) basicEncode.set(char, code);
});
const basicDecode = Array.from(GSM7_BASIC);
const extensionEncode = new Map(EXTENSION_CODES);
const extensionDecode = new Map(EXTENSION_CODES.map(([char, code]) => [code, char]));

/** Septet values for `text`; an extension character becomes ESC + its code (two septets). */
export function encodeGsm7(text: string): number[] {
  const septets: number[] = [];
  let index = 0;
  for (const char of text) {
    const basic = basicEncode.get(char);
    if (basic !== undefined) septets.push(basic);
    else {
      const extension = extensionEncode.get(char);
      if (extension === undefined) throw new NotGsm7Error(char, index);
      septets.push(GSM7_ESCAPE, extension);
    }
    index += char.length;
  }
  return septets;
}

/**
 * Text for septet values. An escape followed by a code the extension table does not define
 * reads as the basic-table character, and ESC ESC as a space, as TS 23.038 tells receivers to
 * do; a trailing escape means the data was cut, so it is refused rather than guessed.
 */
export function decodeGsm7(septets: ArrayLike<number>): string {
  let text = '';
  for (let i = 0; i < septets.length; i++) {
    const septet = checkSeptet(septets[i]!, i);
    if (septet !== GSM7_ESCAPE) {
      text += basicDecode[septet];
      continue;
    }
    if (i + 1 >= septets.length) throw new InvalidArgumentError('GSM-7 data ends with an escape septet', { index: i });
    const code = checkSeptet(septets[++i]!, i);
    text += extensionDecode.get(code) ?? (code === GSM7_ESCAPE ? ' ' : basicDecode[code]);
  }
  return text;
}

/**
 * GSM 7-bit packing (TS 23.038 §6.1.2.1.1): septets laid end to end, least significant bit
 * first. `fillBits` (0–6) zero bits come first, so that user data following a UDH starts on
 * a septet boundary: after the 6-octet concatenation UDH (48 bits) that is 1 fill bit.
 */
export function packSeptets(septets: ArrayLike<number>, fillBits = 0): Uint8Array {
  checkFillBits(fillBits);
  const octets = new Uint8Array(Math.ceil((fillBits + septets.length * 7) / 8));
  for (let i = 0; i < septets.length; i++) {
    const septet = checkSeptet(septets[i]!, i);
    const bit = fillBits + i * 7;
    const octet = bit >> 3;
    const shift = bit & 7;
    octets[octet]! |= (septet << shift) & 0xff;
    // The septet straddles two octets when it does not fit in what is left of this one.
    if (shift > 1) octets[octet + 1]! |= septet >> (8 - shift);
  }
  return octets;
}

/**
 * Reverse of packSeptets. The count must come from elsewhere (TP-UDL): when 7 bits are left
 * over at the end, they would otherwise read as a trailing '@' (0x00).
 */
export function unpackSeptets(octets: ArrayLike<number>, septetCount: number, fillBits = 0): number[] {
  checkFillBits(fillBits);
  if (fillBits + septetCount * 7 > octets.length * 8) {
    throw new InvalidArgumentError(`${octets.length} octets cannot hold ${septetCount} septets`, { septetCount });
  }
  const septets: number[] = [];
  for (let i = 0; i < septetCount; i++) {
    const bit = fillBits + i * 7;
    const octet = bit >> 3;
    const shift = bit & 7;
    let value = octets[octet]! >> shift;
    if (shift > 1) value |= octets[octet + 1]! << (8 - shift);
    septets.push(value & 0x7f);
  }
  return septets;
}

function checkFillBits(fillBits: number): void {
  if (!Number.isInteger(fillBits) || fillBits < 0 || fillBits > 6) {
    throw new InvalidArgumentError(`fill bits must be 0 to 6, got ${fillBits}`, { fillBits });
  }
}

function checkSeptet(septet: number, index: number): number {
  if (!Number.isInteger(septet) || septet < 0 || septet > 0x7f) {
    throw new InvalidArgumentError(`septet ${septet} at ${index} is not a 7-bit value`, { index });
  }
  return septet;
}
