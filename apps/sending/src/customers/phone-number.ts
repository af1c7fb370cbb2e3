import { InvalidArgumentError } from '@sabia/errors';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { asCountry } from './settings';

// Spaces, dashes, dots and parentheses are formatting people type; anything else that is not
// a digit (letters, quotes, SQL) means the field is not a phone number at all.
const FORMATTING = /[\s\-().]/g;

/**
 * Reads a destination as E.164. With a leading + (or 00) the number carries its country code;
 * without one it does too, unless the customer allows national numbers, which are then read
 * in their default country. Structurally impossible input is INVALID_ARGUMENT (nothing is
 * stored); a well-formed number that is not a valid mobile is decided later (code 202).
 */
export function toE164(raw: string, national?: { defaultCountry: string }): string {
  const compact = raw.trim().replace(FORMATTING, '').replace(/^00/, '+');
  if (!/^\+?[0-9]{6,15}$/.test(compact)) {
    throw new InvalidArgumentError(`"${raw.slice(0, 40)}" is not a phone number: use E.164, e.g. +5511987654321`, { field: 'to' });
  }
  if (compact.startsWith('+') || !national) return compact.startsWith('+') ? compact : `+${compact}`;
  const parsed = parsePhoneNumberFromString(compact, asCountry(national.defaultCountry));
  return parsed?.number ?? `+${compact}`;
}
