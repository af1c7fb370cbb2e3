import { status as pb } from '@sabia/contracts';
import { callUnary } from '@sabia/grpc-kit';
import { deliveredStatusName, sentStatusName } from '@sabia/status-codes';
import { status as grpcStatus, type ServiceError } from '@grpc/grpc-js';
import type { Session } from '../session';
import { paint } from '../paint';

export const usage = 'sabia status <message-id>';

const when = (d: Date | undefined) => (d ? d.toISOString().replace('T', ' ') : '');

/** Both status levels with their times, and the trace id to follow the message in a tracer. */
export async function run(session: Session, argv: string[]): Promise<void> {
  const id = argv[0];
  if (!id) throw new Error(`usage: ${usage}`);
  const { message } = await callUnary(session.sending, session.sending.getMessage, { messageId: id }, { token: session.token });
  let tracked: pb.MessageStatus | undefined;
  try {
    tracked = (await callUnary(session.status, session.status.getStatus, { messageId: id }, { token: session.token })).status;
  } catch (err) {
    if ((err as ServiceError).code !== grpcStatus.NOT_FOUND) throw err;
  }
  const sent = tracked?.sentStatus || message!.sentStatus;
  const delivered = tracked?.deliveredStatus ?? 0;
  const line = (label: string, code: number, name: string, at?: Date) => {
    const text = code ? `${String(code).padEnd(4)}${name}` : 'pending';
    const ok = code === 2 || code === 4;
    console.log(`  ${label.padEnd(18)}${(code ? (ok ? paint.green : paint.red) : paint.dim)(text.padEnd(32))}${paint.dim(when(at))}`);
  };
  console.log(`${paint.bold(`message ${message!.id}`)}  to ${message!.to}  parts ${message!.parts}`);
  line('sent_status', sent, sentStatusName(sent), tracked?.sentAt);
  line('delivered_status', delivered, deliveredStatusName(delivered), tracked?.deliveredAt);
  if (message!.traceId) console.log(`  ${'trace'.padEnd(18)}${message!.traceId}`);
}
