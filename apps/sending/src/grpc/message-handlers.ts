import { sending as pb } from '@sabia/contracts';
import type { Db } from '@sabia/db';
import type { AddressPolicy } from '@sabia/webhooks';
import { FailedPreconditionError, ResourceExhaustedError } from '@sabia/errors';
import type { HandlerKit } from '@sabia/grpc-kit';
import { sentStatusName, SENT_STATUS } from '@sabia/status-codes';
import { getMessage } from '../messages/get-message';
import type { Message } from '../messages/message';
import type { Logger } from '@sabia/logger';
import type { Router } from '../routing/router';
import type { BillingPorts } from '../billing/billing-ports';
import { cancelMessage } from '../messages/cancel-message';
import { previewSms } from '../messages/preview-sms';
import { sendBatch } from '../messages/send-batch';
import { sendSms } from '../messages/send-sms';
import { singleSendPorts } from '../messages/single-send-ports';
import { userOf } from './user-of';

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

/**
 * A single send refused by an acceptance rule is an error for the caller (the message is
 * stored all the same, and its id travels in the error details).
 */
function raiseRefusal(m: Message): void {
  if (!m.refusalReason || m.sentStatus === null) return;
  const details = { messageId: m.id, sentStatus: m.sentStatus, sentStatusName: sentStatusName(m.sentStatus), reason: m.refusalReason };
  const text = `message ${m.id} refused with ${m.sentStatus} ${sentStatusName(m.sentStatus)}: ${m.refusalReason}`;
  if (m.sentStatus === SENT_STATUS.CUSTOMER_QUOTA_BLOCKED) throw new ResourceExhaustedError(text, details);
  throw new FailedPreconditionError(text, details);
}

export function messageHandlers(deps: { db: Db; billing: BillingPorts; router: Router; urlPolicy: AddressPolicy; logger: Logger }, kit: HandlerKit) {
  const { db, billing, router, urlPolicy } = deps;
  const single = singleSendPorts(db);
  return {
    sendSms: kit.unary(async (req: pb.SendSmsRequest, ctx) => {
      const message = await sendSms({ db, ...single, router, urlPolicy, reserve: billing.reserve, release: billing.release, takeReserved: billing.takeReserved }, userOf(ctx), req);
      raiseRefusal(message);
      return { message: toProto(message) };
    }),
    sendBatch: kit.unary(async (req: pb.SendBatchRequest, ctx) => {
      const outcome = await sendBatch({ db, router, urlPolicy, reserveBatch: billing.reserveBatch }, userOf(ctx), req);
      const refused = outcome.results.filter((r) => r.sentStatus !== null).length;
      return {
        batchId: outcome.batchId,
        results: outcome.results.map((r) => ({ ...r, sentStatus: r.sentStatus ?? 0 })),
        accepted: outcome.results.length - refused,
        refused,
      };
    }),
    previewSms: kit.unary(async (req: pb.PreviewSmsRequest, ctx) => previewSms(db, userOf(ctx), req.text)),
    cancelMessage: kit.unary(async (req: pb.CancelMessageRequest, ctx) => {
      const message = await cancelMessage(db, userOf(ctx), req.messageId);
      // After the cancel committed: if billing is down now, the pending timeout voids it later.
      await billing.release([message.id]).catch((err) => deps.logger.warn({ err, messageId: message.id }, 'release after cancel failed'));
      return { message: toProto(message) };
    }),
    getMessage: kit.unary(async (req: pb.GetMessageRequest, ctx) => ({
      message: toProto(await getMessage(db, userOf(ctx), req.messageId)),
    })),
  };
}
