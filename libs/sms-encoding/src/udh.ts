import { InvalidArgumentError } from '@sabia/errors';

/** Octets of the concatenation UDH: UDHL, IEI, IEDL, reference, total, index. */
export const CONCAT_UDH_LENGTH = 6;

/**
 * The 8-bit-reference concatenation header (TS 23.040 §9.2.3.24.1): 05 00 03 ref total index.
 * The handset joins parts with the same originator and reference, so the reference must
 * differ between long messages in flight to one destination; the caller owns that counter.
 */
export function concatenationUdh(reference: number, total: number, index: number): Uint8Array {
  checkByte('reference', reference, 0);
  checkByte('total', total, 1);
  checkByte('index', index, 1);
  if (index > total) throw new InvalidArgumentError(`part ${index} of ${total} does not exist`, { index, total });
  return Uint8Array.of(0x05, 0x00, 0x03, reference, total, index);
}

function checkByte(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min || value > 255) {
    throw new InvalidArgumentError(`${name} must be an integer from ${min} to 255, got ${value}`, { [name]: value });
  }
}
