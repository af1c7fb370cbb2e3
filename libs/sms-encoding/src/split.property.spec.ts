import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  GSM7_BASIC,
  GSM7_EXTENSION,
  countParts,
  decodeGsm7,
  decodeUcs2,
  splitMessage,
  unpackSeptets,
  type SplitMessage,
} from './index';

// Independent reference: the rules as the issue states them, written the plain way.
const BASIC = Array.from(GSM7_BASIC).filter((c) => c !== '\u001b');
const EXTENSION = Array.from(GSM7_EXTENSION);

function reference(text: string, concatenate: boolean) {
  const chars = Array.from(text);
  const gsm = chars.every((c) => BASIC.includes(c) || EXTENSION.includes(c));
  const costs = chars.map((c) => (gsm ? (EXTENSION.includes(c) ? 2 : 1) : c.length));
  const units = costs.reduce((s, c) => s + c, 0);
  const [single, multi] = gsm ? [160, 153] : [70, 67];
  const greedy = (room: (i: number) => number) => {
    const sizes = [0];
    for (const cost of costs) {
      if (sizes.at(-1)! + cost > room(sizes.length)) sizes.push(0);
      sizes[sizes.length - 1]! += cost;
    }
    return sizes;
  };
  if (units <= single) return { encoding: gsm ? 'GSM7' : 'UCS2', units, sizes: [units] };
  if (concatenate) return { encoding: gsm ? 'GSM7' : 'UCS2', units, sizes: greedy(() => multi) };
  // Try every n from 2 until one is self-consistent; the sizes include the "(i/n) " prefix.
  for (let n = 2; ; n++) {
    const prefix = (i: number) => `(${i}/${n}) `.length;
    const sizes = greedy((i) => single - prefix(i));
    if (sizes.length === n) return { encoding: gsm ? 'GSM7' : 'UCS2', units, sizes: sizes.map((s, i) => s + prefix(i + 1)) };
  }
}

const emoji = fc.constantFrom('😀', '👍🏽', '🇧🇷', '👨‍👩‍👧', '❤️', '𝄞');
const accented = fc.constantFrom('á', 'ã', 'ç', 'õ', 'ê', 'é', 'à', 'ü');
const basic = fc.constantFrom(...BASIC);
const extension = fc.constantFrom(...EXTENSION);
const mixed = fc.oneof({ arbitrary: basic, weight: 6 }, extension, accented, emoji);
// size 'max': fast-check's default size keeps strings under ~10 characters, far from any boundary.
const gsmText = fc.string({ unit: fc.oneof({ arbitrary: basic, weight: 4 }, extension), maxLength: 500, size: 'max' });
// A run of plain characters that ends just before a boundary (152/153/160, 66/67/70, a
// prefixed part's 154/64), then a tail where a € or an emoji may straddle it.
const runThen = (char: string, min: number, max: number, unit: fc.Arbitrary<string>) =>
  fc
    .tuple(fc.integer({ min, max }), fc.string({ unit, maxLength: 12, size: 'max' }))
    .map(([n, tail]) => char.repeat(n) + tail);
const nearBoundary = fc.oneof(
  runThen('a', 140, 160, fc.oneof(basic, extension)),
  runThen('a', 290, 306, fc.oneof(basic, extension)),
  runThen('ã', 55, 70, mixed),
  runThen('ã', 120, 134, mixed),
  // Around ten parts, where "(i/n) " grows from 6 to 7 or 8 characters.
  runThen('a', 1370, 1560, fc.oneof(basic, extension)),
  runThen('ã', 560, 700, mixed),
);
const anyText = fc.oneof(
  gsmText,
  nearBoundary,
  fc.string({ unit: mixed, maxLength: 400, size: 'max' }),
  fc.string({ unit: fc.oneof({ arbitrary: basic, weight: 3 }, emoji), maxLength: 200, size: 'max' }),
  fc.string({ unit: 'grapheme', maxLength: 120, size: 'max' }),
  fc.string({ unit: 'binary', maxLength: 200, size: 'max' }),
);
const options = fc.record({ reference: fc.integer({ min: 0, max: 255 }), concatenate: fc.boolean() });

/** What each part's user data decodes to, read back as a handset would. */
function readBack(message: SplitMessage) {
  return message.parts.map((part) => {
    const body = part.userData.subarray(part.udh?.length ?? 0);
    if (message.encoding === 'UCS2') return { text: decodeUcs2(body), units: body.length / 2 };
    const septets = unpackSeptets(body, part.units, part.udh ? 1 : 0);
    return { text: decodeGsm7(septets), units: septets.length, last: septets.at(-1), unpacked: part.shortMessage.subarray(part.udh?.length ?? 0) };
  });
}

describe('splitMessage properties', () => {
  const check = (body: (text: string, opts: { reference: number; concatenate: boolean }) => void) =>
    fc.assert(fc.property(anyText, options, body), { numRuns: 400 });

  it('agrees with the reference on encoding, units and every part size', () => {
    check((text, opts) => {
      const message = splitMessage(text, opts);
      const expected = reference(text, opts.concatenate);
      expect({ encoding: message.encoding, units: message.units, sizes: message.parts.map((p) => p.units) }).toEqual(expected);
      if (opts.concatenate) expect(countParts(text)).toEqual({ encoding: expected.encoding, units: expected.units, parts: expected.sizes.length });
    });
  });

  it('gives back the input when the parts are joined, prefixes removed', () => {
    check((text, opts) => {
      const { parts } = splitMessage(text, opts);
      expect(parts.map((p) => p.text.slice(p.prefix.length)).join('')).toBe(text);
      parts.forEach((p, i) => expect(p.prefix).toBe(!opts.concatenate && parts.length > 1 ? `(${i + 1}/${parts.length}) ` : ''));
    });
  });

  it('keeps every part within 140 octets, and its user data reads back as its text', () => {
    check((text, opts) => {
      const message = splitMessage(text, opts);
      readBack(message).forEach((back, i) => {
        const part = message.parts[i]!;
        expect(part.userData.length).toBeLessThanOrEqual(140);
        expect(back.text).toBe(part.text);
        expect(back.units).toBe(part.units);
        if (back.unpacked) expect(Array.from(back.unpacked)).toHaveLength(part.units);
      });
    });
  });

  it('never cuts an escape pair or a surrogate pair', () => {
    check((text, opts) => {
      const message = splitMessage(text, opts);
      readBack(message).forEach((back, i) => {
        const part = message.parts[i]!;
        if (message.encoding === 'GSM7') {
          expect(back.last).not.toBe(0x1b);
          expect(back.unpacked!.at(-1)).not.toBe(0x1b);
        }
        const first = part.text.charCodeAt(0);
        const last = part.text.charCodeAt(part.text.length - 1);
        expect(first >= 0xdc00 && first <= 0xdfff).toBe(false);
        expect(last >= 0xd800 && last <= 0xdbff).toBe(false);
      });
    });
  });

  it('heads concatenated parts with exactly 05 00 03 ref total index, and nothing else with a UDH', () => {
    check((text, opts) => {
      const { parts } = splitMessage(text, opts);
      for (const part of parts) {
        if (!opts.concatenate || parts.length === 1) {
          expect(part.udh).toBeUndefined();
          continue;
        }
        const expected = [0x05, 0x00, 0x03, opts.reference, parts.length, part.index];
        expect(Array.from(part.udh!)).toEqual(expected);
        expect(Array.from(part.userData.subarray(0, 6))).toEqual(expected);
        expect(Array.from(part.shortMessage.subarray(0, 6))).toEqual(expected);
      }
      expect(parts.map((p) => [p.index, p.total])).toEqual(parts.map((_, i) => [i + 1, parts.length]));
    });
  });
});
