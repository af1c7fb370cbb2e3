import { describe, expect, it } from 'vitest';
import { countParts } from './index';

describe('countParts', () => {
  it.each([
    ['a'.repeat(160), 'GSM7', 160, 1],
    ['a'.repeat(161), 'GSM7', 161, 2],
    ['a'.repeat(306), 'GSM7', 306, 2],
    ['a'.repeat(307), 'GSM7', 307, 3],
    ['€'.repeat(80), 'GSM7', 160, 1],
    ['€'.repeat(81), 'GSM7', 162, 2],
    // A € that would straddle septets 153–154 moves to the next part: 3 parts, not 306 / 153.
    ['a'.repeat(152) + '€' + 'a'.repeat(152), 'GSM7', 306, 3],
    ['Olá', 'UCS2', 3, 1],
    ['ã'.repeat(70), 'UCS2', 70, 1],
    ['ã'.repeat(71), 'UCS2', 71, 2],
  ] as const)('%#: %s…', (text, encoding, units, parts) => {
    expect(countParts(text)).toEqual({ encoding, units, parts });
  });
});
