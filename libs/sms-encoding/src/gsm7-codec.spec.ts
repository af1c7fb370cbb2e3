import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  GSM7_BASIC,
  GSM7_EXTENSION,
  NotGsm7Error,
  decodeGsm7,
  encodeGsm7,
  gsm7Septets,
  packSeptets,
  unpackSeptets,
} from './index';

const hex = (octets: Uint8Array) => Buffer.from(octets).toString('hex');
const gsmChar = fc.constantFrom(...Array.from(GSM7_BASIC).filter((c) => c !== '\u001b'), ...GSM7_EXTENSION);
const septet = fc.integer({ min: 0, max: 0x7f });

describe('encodeGsm7 / decodeGsm7', () => {
  it.each([
    ['@', [0x00]],
    ['A', [0x41]],
    ['à', [0x7f]],
    ['Ç', [0x09]],
    ['é', [0x05]],
    ['\n', [0x0a]],
    ['€', [0x1b, 0x65]],
    ['{}', [0x1b, 0x28, 0x1b, 0x29]],
    ['\f^\\[~]|', [0x1b, 0x0a, 0x1b, 0x14, 0x1b, 0x2f, 0x1b, 0x3c, 0x1b, 0x3d, 0x1b, 0x3e, 0x1b, 0x40]],
    ['R$ 10,00 €', [0x52, 0x02, 0x20, 0x31, 0x30, 0x2c, 0x30, 0x30, 0x20, 0x1b, 0x65]],
  ])('%j ⇄ septets %j', (text, septets) => {
    expect(encodeGsm7(text)).toEqual(septets);
    expect(decodeGsm7(septets)).toBe(text);
  });

  it('refuses a character outside GSM-7 with a typed error naming it and its index', () => {
    const error = (() => {
      try {
        encodeGsm7('Olá');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(NotGsm7Error);
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', name: 'NotGsm7Error', index: 2, character: 'á' });
    expect(() => encodeGsm7('ab😀')).toThrow(/U\+1F600 at index 2/);
    // ESC is how the extension is reached, never a character of the text.
    expect(() => encodeGsm7('\u001b')).toThrow(NotGsm7Error);
  });

  it('reads unknown escapes as receivers must, and refuses a dangling escape', () => {
    expect(decodeGsm7([0x1b, 0x41])).toBe('A');
    expect(decodeGsm7([0x1b, 0x1b])).toBe(' ');
    expect(() => decodeGsm7([0x41, 0x1b])).toThrow(/ends with an escape/);
    expect(() => decodeGsm7([0x80])).toThrow(/not a 7-bit value/);
  });

  it('round-trips any GSM-7 text, and costs gsm7Septets septets', () => {
    fc.assert(
      fc.property(fc.string({ unit: gsmChar, maxLength: 300, size: 'max' }), (text) => {
        expect(decodeGsm7(encodeGsm7(text))).toBe(text);
        expect(encodeGsm7(text)).toHaveLength(gsm7Septets(text)!);
      }),
      { numRuns: 300 },
    );
  });
});

describe('packSeptets / unpackSeptets', () => {
  it.each([
    // The textbook example of TS 23.038 packing.
    ['hellohello', 0, 'e8329bfd4697d9ec37'],
    // 8 septets fill 7 octets exactly.
    ['12345678', 0, '31d98c56b3dd70'],
    // After a 6-octet UDH, 1 fill bit: 'a' (0x61) shifted left by one.
    ['a', 1, 'c2'],
    // The same bits as e8329bfd4697d9ec37, shifted left by one (little-endian bit order).
    ['hellohello', 1, 'd06536fb8d2eb3d96f'],
  ])('%j with %d fill bit(s) packs to %s', (text, fillBits, expected) => {
    const packed = packSeptets(encodeGsm7(text), fillBits);
    expect(hex(packed)).toBe(expected);
    expect(decodeGsm7(unpackSeptets(packed, encodeGsm7(text).length, fillBits))).toBe(text);
  });

  it('puts 160 septets in 140 octets, and 153 after a UDH in 134', () => {
    expect(packSeptets(new Array(160).fill(0x7f))).toHaveLength(140);
    expect(packSeptets(new Array(153).fill(0x7f), 1)).toHaveLength(134);
  });

  it('refuses fill bits outside 0–6 and counts the octets cannot hold', () => {
    expect(() => packSeptets([1], 7)).toThrow(/fill bits/);
    expect(() => unpackSeptets(Uint8Array.of(0), 2)).toThrow(/cannot hold/);
  });

  it('round-trips any septets with any fill, in exactly ceil((fill + 7n) / 8) octets', () => {
    fc.assert(
      fc.property(fc.array(septet, { maxLength: 200, size: 'max' }), fc.integer({ min: 0, max: 6 }), (septets, fillBits) => {
        const packed = packSeptets(septets, fillBits);
        expect(packed).toHaveLength(Math.ceil((fillBits + 7 * septets.length) / 8));
        expect(unpackSeptets(packed, septets.length, fillBits)).toEqual(septets);
        // Fill bits are zero: the UDH octet they share is not disturbed.
        if (packed.length) expect(packed[0]! & ((1 << fillBits) - 1)).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});
