import { InvalidArgumentError } from '@sabia/errors';
import { PLATFORM_MAX_CHARS as MAX_TEXT_CHARS } from '../customers/settings';

export interface SendSmsInput {
  to: string;
  text: string;
  idempotencyKey: string;
  correlationId: string;
  callbackUrl: string;
  /** 0: no limit. */
  validitySeconds: number;
}

/** The longest validity period a caller may ask for (carriers keep messages at most days). */
export const MAX_VALIDITY_SECONDS = 7 * 24 * 3600;

/** When an unsubmitted message expires (101), or null for no limit. */
export function expiryOf(validitySeconds: number, now = Date.now()): Date | null {
  if (!Number.isInteger(validitySeconds) || validitySeconds < 0 || validitySeconds > MAX_VALIDITY_SECONDS) {
    throw new InvalidArgumentError(`validity_seconds must be between 0 and ${MAX_VALIDITY_SECONDS}`, { field: 'validity_seconds' });
  }
  return validitySeconds === 0 ? null : new Date(now + validitySeconds * 1000);
}

/**
 * Refuses a text that can never be a message (INVALID_ARGUMENT, nothing stored), as opposed
 * to acceptance rules, which store the message with its seed code. `where` names the field
 * (and, in a batch, the recipient) so the caller knows what to fix.
 */
export function validateText(text: string, where = 'text'): void {
  if (text.length === 0) throw new InvalidArgumentError(`${where} must not be empty`, { field: where });
  if (text.length > MAX_TEXT_CHARS) {
    throw new InvalidArgumentError(`${where} has ${text.length} characters; the maximum is ${MAX_TEXT_CHARS}`, { field: where });
  }
  if (text.includes('\u0000')) throw new InvalidArgumentError(`${where} must not contain NUL characters`, { field: where });
  // U+FFFD is what a protobuf decoder makes of invalid UTF-8 (and a client of a lone
  // surrogate): the text was damaged before it reached us, so sending it would be a guess.
  if (!text.isWellFormed() || text.includes('\uFFFD')) {
    throw new InvalidArgumentError(`${where} is not valid UTF-8/Unicode (it contains U+FFFD or a lone surrogate)`, { field: where });
  }
}

export function validateIdempotencyKey(key: string): void {
  if (!/^[\x21-\x7e]{1,128}$/.test(key)) {
    throw new InvalidArgumentError('idempotency_key is required: 1 to 128 printable ASCII characters', { field: 'idempotency_key' });
  }
}

export function validateCorrelationId(id: string, where = 'correlation_id'): void {
  if (id.length > 128) throw new InvalidArgumentError(`${where} must be at most 128 characters`, { field: where });
}

export function validateSendInput(input: SendSmsInput): SendSmsInput {
  validateText(input.text);
  validateIdempotencyKey(input.idempotencyKey);
  validateCorrelationId(input.correlationId);
  expiryOf(input.validitySeconds);
  return input;
}
