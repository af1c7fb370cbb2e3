import { callUnary } from '@sabia/grpc-kit';
import type { Session } from '../session';

export const usage = 'sabia cancel <message-id>';

/** Cancels a message not yet submitted to a carrier; its reservation is released. */
export async function run(session: Session, argv: string[]): Promise<void> {
  const id = argv[0];
  if (!id) throw new Error(`usage: ${usage}`);
  await callUnary(session.sending, session.sending.cancelMessage, { messageId: id }, { token: session.token });
  console.log(`message ${id} cancelled`);
}
