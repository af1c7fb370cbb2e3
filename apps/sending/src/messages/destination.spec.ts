import fc from 'fast-check';
import parsePhoneNumber from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { mobileCountry } from './destination';

const viaMetadata = (e164: string) => {
  const phone = parsePhoneNumber(e164);
  const type = phone?.isValid() ? phone.getType() : undefined;
  return type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE' ? phone!.country : undefined;
};

describe('mobileCountry', () => {
  it.each([
    ['+5511987654321', 'BR'],
    ['+5521998765432', 'BR'],
    ['+551132654321', undefined], // São Paulo landline
    ['+551187654321', undefined], // mobile without the leading 9
    ['+5520987654321', undefined], // DDD 20 does not exist
    ['+5491123456789', 'AR'],
    ['+4915112345678', 'DE'],
    ['+12025550123', 'US'], // North American numbers are FIXED_LINE_OR_MOBILE
  ])('%s → %s', (number, country) => {
    expect(mobileCountry(number)).toBe(country);
  });

  it('agrees with full metadata parsing on every +55 DDD 9xxxxxxxx number', () => {
    fc.assert(
      fc.property(fc.integer({ min: 10, max: 99 }), fc.integer({ min: 0, max: 99_999_999 }), (ddd, rest) => {
        const number = `+55${ddd}9${String(rest).padStart(8, '0')}`;
        expect(mobileCountry(number)).toBe(viaMetadata(number));
      }),
      { numRuns: 2_000 },
    );
  });
});
