import { InvalidArgumentError, invariant } from '@sabia/errors';
import { gsm7Septets } from './gsm7';
import { encodeGsm7, packSeptets } from './gsm7-codec';
import { atomsOf, costOf, fill, type Atom, type Encoding } from './segment';
import { encodeUcs2 } from './ucs2';
import { CONCAT_UDH_LENGTH, concatenationUdh } from './udh';

/** SMPP / TP-DCS data_coding for each encoding. */
export const DATA_CODING = { GSM7: 0x00, UCS2: 0x08 } as const;

// A part carries 140 octets of user data: 160 septets or 70 UCS-2 units. A concatenated part
// gives 6 octets (plus 1 fill bit in GSM-7) to the UDH, leaving 153 septets or 67 units.
export const PART_LIMITS = { GSM7: { single: 160, multi: 153 }, UCS2: { single: 70, multi: 67 } } as const;
export const MAX_USER_DATA_OCTETS = 140;

export interface SmsPart {
  /** 1-based, as in the UDH and the "(i/n)" prefix. */
  index: number;
  total: number;
  /** What this part carries, prefix included. */
  text: string;
  /** "(i/n) " for a carrier that cannot concatenate, else ''. */
  prefix: string;
  /** Septets (GSM-7) or UTF-16 units (UCS-2) of `text`. */
  units: number;
  /** 05 00 03 ref total index, present only on concatenated parts (set esm_class UDHI 0x40). */
  udh?: Uint8Array;
  /** TP-UD as it goes over the air: UDH, then packed septets (after 1 fill bit) or UTF-16BE. */
  userData: Uint8Array;
  /** SMPP short_message: UDH, then one septet per octet (GSM-7, unpacked) or UTF-16BE. */
  shortMessage: Uint8Array;
}

export interface SplitMessage {
  encoding: Encoding;
  dataCoding: (typeof DATA_CODING)[Encoding];
  /** Septets or UTF-16 units of the whole text, without prefixes. */
  units: number;
  parts: SmsPart[];
}

export interface SplitOptions {
  /** Concatenation reference, 0–255, distinct per destination among messages in flight. */
  reference: number;
  /** False for carriers that cannot concatenate: independent parts marked "(i/n) ". */
  concatenate: boolean;
  /** The route's encoding; GSM7 throws NotGsm7Error for text it cannot carry. */
  forceEncoding?: Encoding;
}

export function splitMessage(text: string, options: SplitOptions): SplitMessage {
  const { reference, concatenate } = options;
  if (!Number.isInteger(reference) || reference < 0 || reference > 255) {
    throw new InvalidArgumentError(`reference must be an integer from 0 to 255, got ${reference}`, { reference });
  }
  const encoding = options.forceEncoding ?? (gsm7Septets(text) === undefined ? 'UCS2' : 'GSM7');
  const atoms = atomsOf(text, encoding);
  const units = costOf(atoms);
  const limits = PART_LIMITS[encoding];

  let chunks: string[];
  let prefixOf = (_index: number, _total: number) => '';
  if (units <= limits.single) chunks = [text];
  else if (concatenate) chunks = fill(atoms, () => limits.multi);
  else {
    prefixOf = (index, total) => `(${index}/${total}) `;
    chunks = fillWithPrefixes(atoms, limits.single, prefixOf);
  }
  // The UDH's total and index are one octet each.
  if (chunks.length > 255) {
    throw new InvalidArgumentError(`text needs ${chunks.length} parts; at most 255 can be sent`, { parts: chunks.length });
  }
  const udhOf = (index: number) =>
    concatenate && chunks.length > 1 ? concatenationUdh(reference, chunks.length, index) : undefined;
  const parts = chunks.map((chunk, i) =>
    buildPart(encoding, i + 1, chunks.length, prefixOf(i + 1, chunks.length), chunk, udhOf(i + 1)),
  );
  return { encoding, dataCoding: DATA_CODING[encoding], units, parts };
}

/**
 * Independent parts, each "(i/n) " + text within a single part's limit. The prefix length
 * depends on n, and n on the prefix length, so n is raised until it agrees with the count it
 * produces. The count never falls as n rises (longer prefixes leave less room), so starting
 * from 2 and raising n to each count found reaches the smallest consistent n.
 */
function fillWithPrefixes(atoms: readonly Atom[], single: number, prefixOf: (i: number, n: number) => string): string[] {
  for (let total = 2; total <= 255; ) {
    const chunks = fill(atoms, (index) => single - prefixOf(index, total).length);
    if (chunks.length === total) return chunks;
    invariant(chunks.length > total, 'a longer prefix cannot produce fewer parts');
    total = chunks.length;
  }
  throw new InvalidArgumentError('text needs more than 255 parts', { parts: '>255' });
}

function buildPart(encoding: Encoding, index: number, total: number, prefix: string, chunk: string, udh?: Uint8Array): SmsPart {
  const text = prefix + chunk;
  const header = udh ?? new Uint8Array(0);
  let units: number;
  let userData: Uint8Array;
  let shortMessage: Uint8Array;
  if (encoding === 'GSM7') {
    const septets = encodeGsm7(text);
    units = septets.length;
    // After the 6-octet UDH (48 bits), 1 fill bit puts the first septet on a septet boundary.
    userData = concat(header, packSeptets(septets, udh ? 1 : 0));
    shortMessage = concat(header, Uint8Array.from(septets));
  } else {
    const octets = encodeUcs2(text);
    units = text.length;
    userData = concat(header, octets);
    shortMessage = userData;
  }
  // What no carrier accepts must never leave: a broken split is a bug, not a message.
  invariant(userData.length <= MAX_USER_DATA_OCTETS, `part ${index} has ${userData.length} octets of user data`);
  invariant(!udh || udh.length === CONCAT_UDH_LENGTH, 'the concatenation UDH is 6 octets');
  return { index, total, text, prefix, units, ...(udh ? { udh } : {}), userData, shortMessage };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
