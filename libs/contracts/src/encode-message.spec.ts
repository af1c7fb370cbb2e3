import { describe, expect, it } from 'vitest';
import { encodeMessage } from './encode-message';
import { MessageAccepted } from './gen/sabia/sending/v1/events';

const accepted = (i: number) => ({
  messageId: `0193c5a0-0000-7000-8000-${String(i).padStart(12, '0')}`,
  accountId: 'acc-1',
  subaccountId: 'sub-1',
  to: '+5511987654321',
  parts: i + 1,
  acceptedAt: new Date(Date.UTC(2026, 11, 8, 1, 0, i)),
});

describe('encodeMessage (one shared protobuf writer)', () => {
  it('writes the same bytes as a fresh writer, message after message', () => {
    for (let i = 0; i < 5; i++) expect(encodeMessage(MessageAccepted, accepted(i))).toEqual(MessageAccepted.encode(accepted(i)).finish());
  });

  it('hands out copies: a later message does not change an earlier one', () => {
    const first = encodeMessage(MessageAccepted, accepted(1));
    const copy = Uint8Array.from(first);
    encodeMessage(MessageAccepted, { ...accepted(2), to: '+5521999999999', subaccountId: 'a much longer subaccount id than before' });
    expect(first).toEqual(copy);
    expect(MessageAccepted.decode(first)).toEqual(accepted(1));
  });

  it('starts clean after a message the encoder refused halfway', () => {
    expect(() => encodeMessage(MessageAccepted, { ...accepted(3), parts: 1.5 })).toThrow(/int32/);
    expect(MessageAccepted.decode(encodeMessage(MessageAccepted, accepted(4)))).toEqual(accepted(4));
  });
});
