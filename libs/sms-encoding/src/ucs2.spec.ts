import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUcs2, encodeUcs2, isHighSurrogate, isLowSurrogate } from './index';

const hex = (octets: Uint8Array) => Buffer.from(octets).toString('hex');

describe('UCS-2 (UTF-16BE)', () => {
  it.each([
    ['Olá', '004f006c00e1'],
    ['ã€', '00e320ac'],
    // Beyond the BMP: one character, a surrogate pair, four octets.
    ['😀', 'd83dde00'],
    ['', ''],
  ])('%j ⇄ %s', (text, octets) => {
    expect(hex(encodeUcs2(text))).toBe(octets);
    expect(decodeUcs2(Buffer.from(octets, 'hex'))).toBe(text);
  });

  it('refuses to encode a lone surrogate, and says where it is', () => {
    expect(() => encodeUcs2('ab\ud83d')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', details: { index: 2 } }));
    expect(() => encodeUcs2('😀\ude00x')).toThrow(expect.objectContaining({ details: { index: 2 } }));
  });

  it('decodes what a carrier sent, half pairs included, but not an odd octet count', () => {
    expect(decodeUcs2(Uint8Array.of(0xd8, 0x3d))).toBe('\ud83d');
    expect(() => decodeUcs2(Uint8Array.of(0x00))).toThrow(/odd number/);
  });

  it('tells high from low surrogates', () => {
    expect([0xd7ff, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000].map(isHighSurrogate)).toEqual([false, true, true, false, false, false]);
    expect([0xd7ff, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000].map(isLowSurrogate)).toEqual([false, false, false, true, true, false]);
  });

  it('round-trips any well-formed text, two octets per UTF-16 unit, as Node encodes UTF-16BE', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200, size: 'max' }), fc.string({ unit: 'grapheme', maxLength: 100, size: 'max' })), (text) => {
        const octets = encodeUcs2(text);
        expect(octets).toHaveLength(text.length * 2);
        expect(Buffer.from(octets).swap16().toString('utf16le')).toBe(text);
        expect(decodeUcs2(octets)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});
