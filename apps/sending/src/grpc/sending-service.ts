import type { UserPrincipal } from '@sabia/auth';
import { sending as pb } from '@sabia/contracts';
import type { Db } from '@sabia/db';
import { PermissionDeniedError } from '@sabia/errors';
import type { CallContext, HandlerKit } from '@sabia/grpc-kit';
import { getMessage } from '../messages/get-message';
import type { Message } from '../messages/message';
import { sendSms, type ReservePort } from '../messages/send-sms';

const userOf = (ctx: CallContext): UserPrincipal => {
  if (ctx.principal.kind !== 'user') throw new PermissionDeniedError('sending needs a user token (account, subaccount, role)');
  return ctx.principal;
};

const toProto = (m: Message): pb.Message => ({
  id: m.id,
  accountId: m.accountId,
  subaccountId: m.subaccountId,
  to: m.to,
  parts: m.parts,
  sentStatus: m.sentStatus ?? 0,
  createdAt: m.createdAt,
  traceId: m.traceId,
  correlationId: m.correlationId,
});

/** Sending's gRPC adapter: decode → verb → encode. */
export function sendingService(deps: { db: Db; reserve: ReservePort }, kit: HandlerKit): pb.SendingServiceServer {
  return {
    sendSms: kit.unary(async (req: pb.SendSmsRequest, ctx) => ({ message: toProto(await sendSms(deps, userOf(ctx), req)) })),
    getMessage: kit.unary(async (req: pb.GetMessageRequest, ctx) => ({
      message: toProto(await getMessage(deps.db, userOf(ctx), req.messageId)),
    })),
  };
}
