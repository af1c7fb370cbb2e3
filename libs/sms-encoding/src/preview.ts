import { InvalidArgumentError } from '@sabia/errors';
import type { Encoding } from './segment';
import { PART_LIMITS, splitMessage, type SplitMessage } from './split';
import { toGsm7 } from './transliterate';

/** The platform-wide ceiling on a customer's character limit (and on SendSms text). */
export const MAX_CHAR_LIMIT = 1500;

export interface SmsOptions {
  /** The customer's character limit, 1–1500, in septets (GSM-7) or UTF-16 units (UCS-2). */
  maxChars: number;
  /** False when the customer turned accents off or the route refuses UCS-2: transliterate. */
  accents: boolean;
  /** False for carriers that cannot concatenate: "(i/n) " parts. */
  concatenate: boolean;
}

export interface SmsPreview {
  encoding: Encoding;
  parts: number;
  /** Septets or UTF-16 units of the text sent, "(i/n) " prefixes excluded: what maxChars limits. */
  charsUsed: number;
  /** Units the last part still holds before the message needs one more part. */
  charsLeftInPart: number;
  transliterated: boolean;
  /** The text that would be sent (after transliteration). */
  text: string;
  overLimit: boolean;
}

/** The pure core of PreviewSms: what SendSms would do with this text, without refusing it. */
export function previewSms(text: string, options: SmsOptions): SmsPreview {
  const { sent, message } = plan(text, options);
  const last = message.parts.at(-1)!;
  const limits = PART_LIMITS[message.encoding];
  // A lone part is sent whole (160/70); the last of several has its UDH or prefix to carry.
  const capacity = message.parts.length === 1 ? limits.single : options.concatenate ? limits.multi : limits.single;
  return {
    encoding: message.encoding,
    parts: message.parts.length,
    charsUsed: message.units,
    charsLeftInPart: capacity - last.units,
    transliterated: sent !== text,
    text: sent,
    overLimit: message.units > options.maxChars,
  };
}

export interface PreparedSms {
  /** The text that will be sent: the customer's, or its GSM-7 transliteration. */
  text: string;
  transliterated: boolean;
  message: SplitMessage;
}

/**
 * What the sending service submits: the same decisions as previewSms, but text over the
 * customer's limit is refused (INVALID_ARGUMENT), as the preview announced with overLimit.
 */
export function prepareSms(text: string, options: SmsOptions & { reference: number }): PreparedSms {
  const { sent, message } = plan(text, options, options.reference);
  if (message.units > options.maxChars) {
    throw new InvalidArgumentError(
      `text uses ${message.units} ${message.encoding === 'GSM7' ? 'GSM-7 septets' : 'UCS-2 units'}; the customer's limit is ${options.maxChars}`,
      { field: 'text', charsUsed: message.units, maxChars: options.maxChars },
    );
  }
  return { text: sent, transliterated: sent !== text, message };
}

function plan(text: string, options: SmsOptions, reference = 0): { sent: string; message: SplitMessage } {
  const { maxChars } = options;
  if (!Number.isInteger(maxChars) || maxChars < 1 || maxChars > MAX_CHAR_LIMIT) {
    throw new InvalidArgumentError(`maxChars must be an integer from 1 to ${MAX_CHAR_LIMIT}, got ${maxChars}`, { maxChars });
  }
  const sent = options.accents ? text : toGsm7(text);
  // With accents off the text is GSM-7 by construction; forcing it makes that an invariant.
  const forceEncoding = options.accents ? undefined : 'GSM7';
  return { sent, message: splitMessage(sent, { reference, concatenate: options.concatenate, forceEncoding }) };
}
