import { InvalidArgumentError } from '@sabia/errors';
import { getCountries, type CountryCode } from 'libphonenumber-js/max';

/** The platform's ceiling for one message's text (seed: "limite de caracteres", up to 1,500). */
export const PLATFORM_MAX_CHARS = 1_500;

export interface CustomerSettings {
  allowedCountries: string[];
  forbiddenWords: string[];
  accentsEnabled: boolean;
  maxChars: number;
  defaultCallbackUrl: string;
  allowNationalNumbers: boolean;
  defaultCountry: string;
  /** Where replies are forwarded; '' keeps them without forwarding. */
  moUrl: string;
  /** Opt-out and opt-in reply keywords on top of the built-in ones (replies/keywords.ts). */
  optOutKeywords: string[];
  optInKeywords: string[];
}

/**
 * What a customer that configured nothing gets: Brazil only, accents on, the platform's
 * character ceiling, numbers with their country code.
 */
export const DEFAULT_SETTINGS: CustomerSettings = {
  allowedCountries: ['BR'],
  forbiddenWords: [],
  accentsEnabled: true,
  maxChars: PLATFORM_MAX_CHARS,
  defaultCallbackUrl: '',
  allowNationalNumbers: false,
  defaultCountry: 'BR',
  moUrl: '',
  optOutKeywords: [],
  optInKeywords: [],
};

const COUNTRIES = new Set<string>(getCountries());

/** Checks and normalises settings a customer submits; every problem is named at once. */
export function validateSettings(input: CustomerSettings, checkUrl: (url: string) => string): CustomerSettings {
  const problems: string[] = [];
  const allowedCountries = [...new Set(input.allowedCountries.map((c) => c.trim().toUpperCase()))];
  const unknown = allowedCountries.filter((c) => !COUNTRIES.has(c));
  if (unknown.length) problems.push(`allowed_countries has unknown ISO codes: ${unknown.join(', ')}`);
  const defaultCountry = (input.defaultCountry || 'BR').trim().toUpperCase();
  if (!COUNTRIES.has(defaultCountry)) problems.push(`default_country ${defaultCountry} is not an ISO 3166-1 code`);
  if (!Number.isInteger(input.maxChars) || input.maxChars < 1 || input.maxChars > PLATFORM_MAX_CHARS) {
    problems.push(`max_chars must be between 1 and ${PLATFORM_MAX_CHARS}`);
  }
  const forbiddenWords = [...new Set(input.forbiddenWords.map((w) => w.trim()).filter(Boolean))];
  if (forbiddenWords.length > 1_000) problems.push('forbidden_words may hold at most 1,000 words');
  if (forbiddenWords.some((w) => w.length > 100)) problems.push('each forbidden word must be at most 100 characters');
  let defaultCallbackUrl = '';
  try {
    defaultCallbackUrl = checkUrl(input.defaultCallbackUrl);
  } catch (err) {
    problems.push((err as Error).message.replace('callback_url', 'default_callback_url'));
  }
  let moUrl = '';
  try {
    moUrl = checkUrl(input.moUrl);
  } catch (err) {
    problems.push((err as Error).message.replace('callback_url', 'mo_url'));
  }
  const keywords = (list: string[], field: string) => {
    const cleaned = [...new Set(list.map((k) => k.trim()).filter(Boolean))];
    if (cleaned.length > 50) problems.push(`${field} may hold at most 50 keywords`);
    if (cleaned.some((k) => k.length > 30 || /\s/.test(k))) problems.push(`each of ${field} must be one word of at most 30 characters`);
    return cleaned;
  };
  const optOutKeywords = keywords(input.optOutKeywords, 'opt_out_keywords');
  const optInKeywords = keywords(input.optInKeywords, 'opt_in_keywords');
  if (problems.length) throw new InvalidArgumentError(`invalid settings: ${problems.join('; ')}`, { problems });
  return { ...input, allowedCountries, forbiddenWords, defaultCountry, defaultCallbackUrl, moUrl, optOutKeywords, optInKeywords };
}

// Country codes are checked as CountryCode by libphonenumber; settings keep plain strings.
export const asCountry = (code: string) => code as CountryCode;
