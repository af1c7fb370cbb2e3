import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GSM7_BASIC, GSM7_EXTENSION, gsm7Septets, toGsm7 } from './index';

describe('toGsm7', () => {
  it.each([
    ['Olá, sua fatura vence amanhã', 'Ola, sua fatura vence amanha'],
    ['Atenção: sua solicitação foi concluída', 'Atencao: sua solicitacao foi concluida'],
    ['Você está a um passo! Não perca: promoção até às 18h', 'Voce esta a um passo! Nao perca: promocao até às 18h'],
    ['ÁÂÃ áâã ÊÍÓÔÕÚ êíóôõú ç', 'AAA aaa EIOOOU eiooou c'],
    // Already in GSM-7: kept, so the reader still sees them.
    ['é è ù ì ò Ç Ä Ö Ñ Ü ä ö ñ ü à É Å å Ø ø Æ æ ß ¿ ¡ £ € ¥', 'é è ù ì ò Ç Ä Ö Ñ Ü ä ö ñ ü à É Å å Ø ø Æ æ ß ¿ ¡ £ € ¥'],
    ['“Oferta” ‘única’ – válida — hoje…', '"Oferta" \'unica\' - valida - hoje...'],
    ['«citação» e `código`', '"citacao" e \'codigo\''],
    ['1º lugar, 2ª via, 25°C, R$ 1½', '1o lugar, 2a via, 25oC, R$ 11/2'],
    ['no\u00a0break\tand\u200bzero width', 'no break andzero width'],
    ['ﬁm ＡＢＣ', 'fim ABC'],
    ['Œuvre łódź', 'OEuvre lodz'],
    // Decomposed input is judged as the reader sees it: e + U+0301 is é, which GSM-7 has.
    ['cafe\u0301 e a\u0303', 'café e a'],
    // One '?' per character a reader sees, however many code points it is made of.
    ['Oi 😀 👍🏽 🇧🇷 👨‍👩‍👧 ❤️ 你好', 'Oi ? ? ? ? ? ??'],
    // Greek capitals GSM-7 has stay; the rest cannot be guessed.
    ['Δ Ω Σ α β', 'Δ Ω Σ ? ?'],
    ['\u0000\u0007\ud800', '???'],
  ])('%j → %j', (text, expected) => {
    expect(toGsm7(text)).toBe(expected);
  });

  it.each([
    ['Ação é ótima, Ñandú', 'Acao e otima, Nandu'],
    ['Ø ø Æ æ ß ¿ ¡ Å', 'O o AE ae ss ? ! A'],
    ['£ € ¥ § ¤ Δ', '? ? ? ? ? ?'],
    ['a\fb `x`', "a?b 'x'"],
  ])('ascii: %j → %j', (text, expected) => {
    expect(toGsm7(text, { ascii: true })).toBe(expected);
  });

  const gsmChar = fc.constantFrom(...Array.from(GSM7_BASIC).filter((c) => c !== '\u001b'), ...GSM7_EXTENSION);
  const anyText = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 80, size: 'max' }),
    fc.string({ unit: 'binary', maxLength: 80, size: 'max' }),
    fc.string({ unit: fc.constantFrom('á', 'ã', 'ç', 'Ç', 'õ', '“', '…', 'e\u0301', '😀', '\u200d', 'a', ' '), maxLength: 80, size: 'max' }),
    // Lone surrogates too: whatever comes in, what goes out is GSM-7.
    fc.string({ unit: fc.oneof(fc.constantFrom('\ud83d', '\ude00'), gsmChar), maxLength: 40, size: 'max' }),
  );

  it('always yields GSM-7, and a second pass changes nothing', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const out = toGsm7(text);
        expect(gsm7Septets(out)).toBeDefined();
        expect(toGsm7(out)).toBe(out);
      }),
      { numRuns: 300 },
    );
  });

  it('leaves GSM-7 text exactly as it was', () => {
    fc.assert(
      fc.property(fc.string({ unit: gsmChar, maxLength: 200, size: 'max' }), (text) => {
        expect(toGsm7(text)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('with ascii, yields printable ASCII (and \\n, \\r) that GSM-7 carries', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const out = toGsm7(text, { ascii: true });
        expect(out).toMatch(/^[\x20-\x5f\x61-\x7e\n\r]*$/);
        expect(gsm7Septets(out)).toBeDefined();
      }),
      { numRuns: 300 },
    );
  });
});
