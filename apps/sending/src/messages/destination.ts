import parsePhoneNumber from 'libphonenumber-js/max';

/**
 * Seed code 202: the destination must be a valid mobile number. `max` metadata is needed to
 * tell a mobile from a fixed line (DESIGN §8). Returns the ISO country when valid.
 */
export function mobileCountry(e164: string): string | undefined {
  const phone = parsePhoneNumber(e164);
  if (!phone?.isValid()) return undefined;
  const type = phone.getType();
  if (type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE') return undefined;
  return phone.country;
}
