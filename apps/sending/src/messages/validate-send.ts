import { InvalidArgumentError } from '@sabia/errors';
import { PLATFORM_MAX_CHARS as MAX_TEXT_CHARS } from '../customers/settings';

export interface SendSmsInput {
  to: string;
  text: string;
  idempotencyKey: string;
  correlationId: string;
  callbackUrl: string;
}


/**
 * Refuses what can never be a message (the destination is checked with the customer's
 * settings, in phone-number.ts) (INVALID_ARGUMENT, nothing stored): as opposed to
 * acceptance rules, which store the message with its seed code. Each message says what to fix.
 */
export function validateSendInput(input: SendSmsInput): SendSmsInput {
  if (input.text.length === 0) throw new InvalidArgumentError('text must not be empty', { field: 'text' });
  if (input.text.length > MAX_TEXT_CHARS) {
    throw new InvalidArgumentError(`text has ${input.text.length} characters; the maximum is ${MAX_TEXT_CHARS}`, { field: 'text' });
  }
  if (input.text.includes('\u0000')) throw new InvalidArgumentError('text must not contain NUL characters', { field: 'text' });
  // U+FFFD is what a protobuf decoder makes of invalid UTF-8 (and a client of a lone
  // surrogate): the text was damaged before it reached us, so sending it would be a guess.
  if (!input.text.isWellFormed() || input.text.includes('\uFFFD')) {
    throw new InvalidArgumentError('text is not valid UTF-8/Unicode (it contains U+FFFD or a lone surrogate)', { field: 'text' });
  }
  if (!/^[\x21-\x7e]{1,128}$/.test(input.idempotencyKey)) {
    throw new InvalidArgumentError('idempotency_key is required: 1 to 128 printable ASCII characters', { field: 'idempotency_key' });
  }
  if (input.correlationId.length > 128) {
    throw new InvalidArgumentError('correlation_id must be at most 128 characters', { field: 'correlation_id' });
  }
  return input;
}
