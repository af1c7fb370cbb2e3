import { describe, it, expect } from 'vitest';
import { formatReceipt, receiptDate, receiptText, wantsReceipt } from './receipt';

describe('receipt', () => {
  const submittedAt = new Date(Date.UTC(2026, 0, 5, 9, 7, 59));
  const doneAt = new Date(Date.UTC(2026, 0, 5, 10, 30));

  it('formats dates as YYMMDDhhmm in UTC', () => {
    expect(receiptDate(submittedAt)).toBe('2601050907');
  });

  it('formats a delivered receipt in the standard layout with the first 20 characters', () => {
    const text = formatReceipt({ messageId: 'ab12', submittedAt, doneAt, delivered: true, text: 'Olá, seu código é 123456' });
    expect(text).toBe(
      'id:ab12 sub:001 dlvrd:001 submit date:2601050907 done date:2601051030 stat:DELIVRD err:000 text:Ola, seu codigo e 12',
    );
  });

  it('echoes only characters GSM 03.38 and ASCII agree on', () => {
    expect(receiptText('Ação_@{ok}\n€')).toBe('Acao???ok???');
  });

  it('formats an undelivered receipt with UNDELIV and err 001', () => {
    const text = formatReceipt({ messageId: 'ab12', submittedAt, doneAt, delivered: false, text: 'hi' });
    expect(text).toContain('dlvrd:000');
    expect(text).toContain('stat:UNDELIV err:001 text:hi');
  });

  it('honours registered_delivery bits 1..0', () => {
    expect([wantsReceipt(0, true), wantsReceipt(0, false)]).toEqual([false, false]);
    expect([wantsReceipt(1, true), wantsReceipt(1, false)]).toEqual([true, true]);
    expect([wantsReceipt(2, true), wantsReceipt(2, false)]).toEqual([false, true]);
    expect([wantsReceipt(3, true), wantsReceipt(3, false)]).toEqual([true, false]);
    // Higher bits (SME acknowledgement, intermediate notification) do not change the answer.
    expect(wantsReceipt(0x11, false)).toBe(true);
  });
});
