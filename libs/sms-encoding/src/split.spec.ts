import { describe, expect, it } from 'vitest';
import { NotGsm7Error, countParts, splitMessage } from './index';

const hex = (octets: Uint8Array | undefined) => (octets ? Buffer.from(octets).toString('hex') : undefined);
const a = (n: number) => 'a'.repeat(n);
const ã = (n: number) => 'ã'.repeat(n);

describe('splitMessage, concatenated', () => {
  it.each([
    // [case, text, encoding, units of each part]
    ['160 GSM-7 septets: one part', a(160), 'GSM7', [160]],
    ['161: two parts of 153 + 8', a(161), 'GSM7', [153, 8]],
    ['306: two full parts', a(306), 'GSM7', [153, 153]],
    ['307: a third part', a(307), 'GSM7', [153, 153, 1]],
    ['80 € (160 septets): one part', '€'.repeat(80), 'GSM7', [160]],
    ['€ at septets 152–153 fits the first part', a(151) + '€' + a(10), 'GSM7', [153, 10]],
    ['€ that would take septets 153–154 moves whole to part 2', a(152) + '€' + a(10), 'GSM7', [152, 12]],
    ['a moved € can cost a part that units / 153 does not see', a(152) + '€' + a(152), 'GSM7', [152, 153, 1]],
    ['70 UCS-2 units: one part', ã(70), 'UCS2', [70]],
    ['71: two parts of 67 + 4', ã(71), 'UCS2', [67, 4]],
    ['emoji closing a single part at unit 70', ã(68) + '😀', 'UCS2', [70]],
    ['emoji at units 66–67 fits the first part', ã(65) + '😀' + ã(10), 'UCS2', [67, 10]],
    ['emoji that would take units 67–68 moves whole to part 2', ã(66) + '😀' + ã(10), 'UCS2', [66, 12]],
    ['one character outside GSM-7 makes the whole text UCS-2', a(100) + 'ã', 'UCS2', [67, 34]],
  ] as const)('%s', (_case, text, encoding, units) => {
    const message = splitMessage(text, { reference: 42, concatenate: true });
    expect(message.encoding).toBe(encoding);
    expect(message.dataCoding).toBe(encoding === 'GSM7' ? 0x00 : 0x08);
    expect(message.parts.map((p) => p.units)).toEqual(units);
    expect(message.parts.map((p) => p.text).join('')).toBe(text);
    expect(countParts(text).parts).toBe(units.length);
  });

  it.each([
    ['Olá, sua fatura vence amanhã', 'UCS2', 28],
    ['Seu código de verificação é 123456', 'UCS2', 34],
    ['Sua entrega chega às 14h', 'GSM7', 24],
    ['Promoção: 20% de desconto em € e R$ até domingo!', 'UCS2', 48],
    ['Lembrete: consulta amanhã às 9h. Responda SIM para confirmar.', 'UCS2', 61],
  ] as const)('Portuguese: %j is %s, %d units, one part', (text, encoding, units) => {
    const message = splitMessage(text, { reference: 0, concatenate: true });
    expect(message).toMatchObject({ encoding, units });
    expect(message.parts).toHaveLength(1);
    expect(message.parts[0]!.udh).toBeUndefined();
  });

  it('lays out user data as on the air: UDH, then 1 fill bit and packed septets', () => {
    const [first, second] = splitMessage(a(161), { reference: 0xab, concatenate: true }).parts;
    expect(hex(first!.udh)).toBe('050003ab0201');
    expect(hex(second!.udh)).toBe('050003ab0202');
    expect(first!.userData).toHaveLength(140);
    // 8 × 'a' (0x61) packs to e170381c0e87c3; one fill bit shifts that left by one bit,
    // and the 57 bits now need an eighth octet.
    expect(hex(second!.userData)).toBe('050003ab0202c2e170381c0e8701');
    // SMPP short_message: the same UDH, then one septet per octet.
    expect(hex(second!.shortMessage)).toBe('050003ab0202' + '61'.repeat(8));
  });

  it('sends a single part without UDH, packed from the first bit', () => {
    const [part] = splitMessage('hellohello', { reference: 1, concatenate: true }).parts;
    expect(part).toMatchObject({ index: 1, total: 1, prefix: '', units: 10 });
    expect(part!.udh).toBeUndefined();
    expect(hex(part!.userData)).toBe('e8329bfd4697d9ec37');
    expect(hex(part!.shortMessage)).toBe('68656c6c6f68656c6c6f');
  });

  it('puts UCS-2 parts as UTF-16BE after the UDH', () => {
    const parts = splitMessage(ã(66) + '😀' + ã(3), { reference: 9, concatenate: true }).parts;
    expect(hex(parts[1]!.userData)).toBe('050003090202d83dde00' + '00e3'.repeat(3));
    expect(parts[0]!.userData).toHaveLength(6 + 66 * 2);
  });

  it('uses the encoding the route forces, and refuses what GSM-7 cannot carry', () => {
    expect(hex(splitMessage('abc', { reference: 0, concatenate: true, forceEncoding: 'UCS2' }).parts[0]!.userData)).toBe('006100620063');
    expect(() => splitMessage('Olá', { reference: 0, concatenate: true, forceEncoding: 'GSM7' })).toThrow(NotGsm7Error);
  });

  it('refuses a reference outside one octet and a lone surrogate', () => {
    for (const reference of [-1, 256, 1.5, Number.NaN]) {
      expect(() => splitMessage('x', { reference, concatenate: true })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
    expect(() => splitMessage('x\ud83d', { reference: 0, concatenate: true })).toThrow(/lone surrogate/);
  });

  it('sends empty text as one empty part', () => {
    expect(splitMessage('', { reference: 0, concatenate: true })).toMatchObject({ encoding: 'GSM7', units: 0, parts: [{ text: '', units: 0 }] });
  });
});

describe('splitMessage, for carriers that cannot concatenate', () => {
  const prefixes = (text: string) => splitMessage(text, { reference: 0, concatenate: false }).parts.map((p) => p.prefix);

  it('leaves a text that fits one part alone', () => {
    expect(splitMessage(a(160), { reference: 0, concatenate: false }).parts).toMatchObject([{ text: a(160), prefix: '' }]);
  });

  it('marks independent parts "(i/n) " inside the part, with no UDH', () => {
    const { parts } = splitMessage(a(161), { reference: 5, concatenate: false });
    expect(parts.map((p) => p.text)).toEqual([`(1/2) ${a(154)}`, `(2/2) ${a(7)}`]);
    expect(parts.every((p) => p.udh === undefined && p.shortMessage.length === p.units)).toBe(true);
    expect(parts[0]!.userData).toHaveLength(140);
  });

  it.each([
    // 1,535 septets: 10 parts at 154 would do, but "(10/10) " leaves 152 and "(1/10) " 153, so 11.
    ['GSM-7', a(1535), 11],
    ['GSM-7, exactly ten', a(1529), 10],
    // 635 UCS-2 units: 10 × 64 would do with short prefixes; with "(i/10) " it takes 11.
    ['UCS-2', ã(635), 11],
  ] as const)('%s: raises n until the prefixes agree with the count (%#)', (_case, text, total) => {
    const expected = Array.from({ length: total }, (_, i) => `(${i + 1}/${total}) `);
    expect(prefixes(text)).toEqual(expected);
  });
});
