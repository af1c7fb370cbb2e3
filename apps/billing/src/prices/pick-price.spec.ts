import { describe, expect, it } from 'vitest';
import { pickPrice, type PriceRow } from './pick-price';

const d = (iso: string) => new Date(iso);
let n = 0;
const row = (r: Partial<PriceRow>): PriceRow => ({
  id: `p${n++}`, accountId: '', channel: 'sms', country: '', carrier: '', currency: 'BRL', unitPrice: 10n, effectiveFrom: d('2026-01-01'), ...r,
});
const q = { accountId: 'acme', channel: 'sms', country: 'BR', carrier: 'vivo', currency: 'BRL', at: d('2026-11-22') };

describe('picking the price in force', () => {
  const rows = [
    row({ unitPrice: 9n }), // default, any destination
    row({ unitPrice: 7n, country: 'BR' }), // default for Brazil
    row({ unitPrice: 6n, country: 'BR', carrier: 'vivo' }), // default for Vivo
    row({ unitPrice: 5n, accountId: 'acme' }), // acme's own list, any destination
    row({ unitPrice: 4n, accountId: 'acme', country: 'BR', effectiveFrom: d('2026-06-01') }),
    row({ unitPrice: 3n, accountId: 'acme', country: 'BR', effectiveFrom: d('2026-12-01') }), // not yet
    row({ unitPrice: 1n, accountId: 'other', country: 'BR', carrier: 'vivo' }), // someone else's
    row({ unitPrice: 2n, channel: 'whatsapp_marketing', accountId: 'acme' }),
  ];

  it('prefers the account’s own list, then the most specific row, then the latest date', () => {
    expect(pickPrice(rows, q)?.unitPrice).toBe(4n);
    expect(pickPrice(rows, { ...q, at: d('2026-12-02') })?.unitPrice).toBe(3n);
    expect(pickPrice(rows, { ...q, at: d('2026-03-01') })?.unitPrice).toBe(5n); // acme's BR price not yet in force
  });

  it('falls back to the default list for an account without its own', () => {
    expect(pickPrice(rows, { ...q, accountId: 'newco' })?.unitPrice).toBe(6n);
    expect(pickPrice(rows, { ...q, accountId: 'newco', carrier: 'claro' })?.unitPrice).toBe(7n);
    expect(pickPrice(rows, { ...q, accountId: 'newco', country: 'AR' })?.unitPrice).toBe(9n);
  });

  it('never uses another account’s price, another channel’s or another currency’s', () => {
    expect(pickPrice(rows, { ...q, channel: 'whatsapp_marketing' })?.unitPrice).toBe(2n);
    expect(pickPrice(rows, { ...q, currency: 'USD' })).toBeUndefined();
  });
});
