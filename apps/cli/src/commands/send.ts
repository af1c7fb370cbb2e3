import { callUnary } from '@sabia/grpc-kit';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { Session } from '../session';

export const usage = 'sabia send --to <E.164> --text <text> [--idempotency-key K] [--correlation-id C] [--callback-url URL] [--validity SECONDS]';

/** Prints the message id as the only stdout line, so scripts can capture it. */
export async function run(session: Session, argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      to: { type: 'string' },
      text: { type: 'string' },
      'idempotency-key': { type: 'string' },
      'correlation-id': { type: 'string' },
      'callback-url': { type: 'string' },
      validity: { type: 'string' },
    },
  });
  if (!values.to || values.text === undefined) throw new Error(`usage: ${usage}`);
  const res = await callUnary(session.sending, session.sending.sendSms, {
    to: values.to,
    text: values.text,
    idempotencyKey: values['idempotency-key'] ?? randomUUID(),
    correlationId: values['correlation-id'] ?? '',
    callbackUrl: values['callback-url'] ?? '',
    validitySeconds: Number(values.validity ?? 0),
  }, { token: session.token });
  console.log(res.message!.id);
}
