import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gsm7Septets, prepareSms, previewSms, splitMessage } from './index';

const on = { maxChars: 1500, accents: true, concatenate: true };
const off = { ...on, accents: false };

describe('previewSms', () => {
  it.each([
    ['accents on: UCS-2 as typed', 'Olá, sua fatura vence amanhã', on,
      { encoding: 'UCS2', parts: 1, charsUsed: 28, charsLeftInPart: 42, transliterated: false, text: 'Olá, sua fatura vence amanhã', overLimit: false }],
    ['accents off: transliterated to GSM-7', 'Olá, sua fatura vence amanhã', off,
      { encoding: 'GSM7', parts: 1, charsUsed: 28, charsLeftInPart: 132, transliterated: true, text: 'Ola, sua fatura vence amanha', overLimit: false }],
    ['accents off keeps what GSM-7 has', 'Sua entrega chegará às 14h', off,
      { encoding: 'GSM7', charsUsed: 26, transliterated: true, text: 'Sua entrega chegara às 14h' }],
    ['GSM-7 text is not transliterated', 'Seu pedido saiu para entrega', off, { encoding: 'GSM7', transliterated: false }],
    ['€ counts two septets', 'Total: 10 €', on, { encoding: 'GSM7', charsUsed: 12, charsLeftInPart: 148 }],
    ['160 septets: one full part', 'a'.repeat(160), on, { parts: 1, charsUsed: 160, charsLeftInPart: 0 }],
    ['161: the second part has 145 left of 153', 'a'.repeat(161), on, { parts: 2, charsUsed: 161, charsLeftInPart: 145 }],
    ['161 without concatenation: "(2/2) " + 7 leaves 147', 'a'.repeat(161), { ...on, concatenate: false }, { parts: 2, charsUsed: 161, charsLeftInPart: 147 }],
    ['71 UCS-2 units: 67 + 4, 63 left', 'ã'.repeat(71), on, { encoding: 'UCS2', parts: 2, charsUsed: 71, charsLeftInPart: 63 }],
    ['emoji count two units', 'Oi 😀', on, { encoding: 'UCS2', charsUsed: 5, charsLeftInPart: 65 }],
    ['emoji become ? with accents off', 'Oi 😀', off, { encoding: 'GSM7', text: 'Oi ?', charsUsed: 4 }],
    ['at the limit', 'a'.repeat(160), { ...on, maxChars: 160 }, { overLimit: false }],
    ['one over the limit', 'a'.repeat(161), { ...on, maxChars: 160 }, { overLimit: true, parts: 2 }],
    ['the limit counts septets: 80 € are 160', '€'.repeat(80), { ...on, maxChars: 159 }, { overLimit: true, parts: 1 }],
    ['empty text', '', on, { parts: 1, charsUsed: 0, charsLeftInPart: 160 }],
  ] as const)('%s', (_case, text, options, expected) => {
    expect(previewSms(text, options)).toMatchObject(expected);
  });

  it('refuses a limit outside 1–1500', () => {
    for (const maxChars of [0, 1501, 10.5]) {
      expect(() => previewSms('x', { ...on, maxChars })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
  });

  it('agrees with splitMessage and never leaves the encoding open with accents off', () => {
    const options = fc.record({ maxChars: fc.integer({ min: 1, max: 1500 }), accents: fc.boolean(), concatenate: fc.boolean() });
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 400, size: 'max' }), options, (text, opts) => {
        const preview = previewSms(text, opts);
        const split = splitMessage(preview.text, { reference: 0, concatenate: opts.concatenate });
        expect(preview).toMatchObject({ encoding: split.encoding, parts: split.parts.length, charsUsed: split.units });
        expect(preview.overLimit).toBe(preview.charsUsed > opts.maxChars);
        expect(preview.charsLeftInPart).toBeGreaterThanOrEqual(0);
        expect(preview.transliterated).toBe(preview.text !== text);
        if (!opts.accents) expect(gsm7Septets(preview.text)).toBeDefined();
        if (opts.accents) expect(preview.text).toBe(text);
      }),
      { numRuns: 200 },
    );
  });
});

describe('prepareSms', () => {
  it('returns the parts to submit, with the reference given', () => {
    const prepared = prepareSms('Olá! '.repeat(40), { ...off, reference: 77 });
    expect(prepared).toMatchObject({ transliterated: true, text: 'Ola! '.repeat(40) });
    expect(prepared.message.parts.map((p) => p.udh?.[3])).toEqual([77, 77]);
  });

  it('refuses text over the customer limit, counted as the preview counts it', () => {
    expect(() => prepareSms('€'.repeat(80), { ...on, maxChars: 159, reference: 0 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', details: { field: 'text', charsUsed: 160, maxChars: 159 } }),
    );
    expect(prepareSms('€'.repeat(80), { ...on, maxChars: 160, reference: 0 }).message.parts).toHaveLength(1);
  });
});
