import { gsm7Septets } from './gsm7';

export interface Gsm7Options {
  /** Printable ASCII only (plus \n, \r): also folds GSM-7's own é, ñ, Ø, £ … for routes that mangle them. */
  ascii?: boolean;
}

// What NFKD plus dropping the combining marks does not reach well: letters with a stroke,
// typographic punctuation, invisible characters. Letters with accents (á ã ê õ ç …), ligatures
// (ﬁ) and full-width forms need no entry, the generic fold below handles them; a character
// already allowed is never looked up.
const TABLE: Record<string, string> = {
  // typographic quotes, dashes, ellipsis (what word processors put in customers' templates)
  '\u2018': "'", '\u2019': "'", '\u201a': "'", '\u201b': "'", '\u2032': "'", '\u00b4': "'", '`': "'",
  '\u201c': '"', '\u201d': '"', '\u201e': '"', '\u201f': '"', '\u2033': '"', '\u00ab': '"', '\u00bb': '"',
  '\u2039': "'", '\u203a': "'",
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2015': '-', '\u2212': '-',
  '\u2026': '...', '\u2022': '*', '\u00b7': '.', '\u2044': '/',
  // spaces and invisible characters
  '\t': ' ',
  '\u200b': '', '\u200c': '', '\u200d': '', '\u2060': '', '\ufeff': '', '\u00ad': '',
  // letters NFKD does not decompose
  'Œ': 'OE', 'œ': 'oe', 'Ð': 'D', 'ð': 'd', 'Đ': 'D', 'đ': 'd', 'Ł': 'L', 'ł': 'l', 'Þ': 'TH', 'þ': 'th',
  'ı': 'i', 'ƒ': 'f',
  // symbols
  '°': 'o', '×': 'x', '÷': '/',
  '©': '(c)', '®': '(R)', '¢': 'c',
  // GSM-7 letters, folded only when ASCII is asked for (NFKD handles é ñ ü …)
  'Ø': 'O', 'ø': 'o', 'Æ': 'AE', 'æ': 'ae', 'ß': 'ss', '¡': '!', '¿': '?',
};

// \p{M}: combining marks, what NFKD splits off an accented letter (á = a + U+0301).
const COMBINING_MARKS = /\p{M}/gu;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Text that GSM-7 can carry, for customers with accents off and routes that refuse UCS-2:
 * á→a, ã→a, ç→c, “”→", –→-, …→... Characters GSM-7 already has (é è ù ì ò Ç Ä Ö Ñ Ü ä ö ñ ü à)
 * stay unless `ascii` is set. What has no sensible equivalent (emoji, CJK) becomes one '?' per
 * user-perceived character, so a family emoji is one '?', not five.
 */
export function toGsm7(text: string, options: Gsm7Options = {}): string {
  const allowed = options.ascii ? isAsciiGsm7 : (s: string) => gsm7Septets(s) !== undefined;
  let out = '';
  // NFC first, so a decomposed "a + U+0303" is judged as the ã a reader sees.
  for (const { segment } of graphemes.segment(text.normalize('NFC'))) {
    out += allowed(segment) ? segment : (foldGrapheme(segment, allowed) ?? '?');
  }
  return out;
}

function foldGrapheme(grapheme: string, allowed: (s: string) => boolean): string | undefined {
  const direct = mapChars(grapheme, allowed);
  if (direct !== undefined) return direct;
  // NFKD also unfolds compatibility forms: ﬁ→fi, full-width Ａ→A, ½→1⁄2.
  const base = grapheme.normalize('NFKD').replace(COMBINING_MARKS, '');
  // A lone mark has no base letter to keep: it goes, rather than becoming a '?'.
  return base === '' ? '' : mapChars(base, allowed);
}

function mapChars(chars: string, allowed: (s: string) => boolean): string | undefined {
  let out = '';
  for (const char of chars) {
    const mapped = allowed(char) ? char : TABLE[char];
    if (mapped === undefined || !allowed(mapped)) return undefined;
    out += mapped;
  }
  return out;
}

function isAsciiGsm7(s: string): boolean {
  // GSM-7 and ASCII agree on letters, digits and most punctuation; not on ` (absent) or the
  // control characters, of which only \n and \r are text.
  return gsm7Septets(s) !== undefined && /^[\x20-\x7e\n\r]*$/.test(s) && !s.includes('`');
}
