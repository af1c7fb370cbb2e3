import { requireManager, targetSubaccount, type Principal, type UserPrincipal } from '@sabia/auth';
import { status as pb } from '@sabia/contracts';
import type { Db } from '@sabia/db';
import { PermissionDeniedError } from '@sabia/errors';
import type { HandlerKit } from '@sabia/grpc-kit';
import type { CallbackCache } from '../callbacks/callback-cache';
import { listCallbacks } from '../callbacks/list-callbacks';
import { activeSecrets, rotateSecret, type ActiveSecret } from '../callbacks/webhook-secrets';
import type { messageStatus } from '../db';
import { consolidatedReport } from '../reports/consolidated-report';
import { exportMessages } from '../reports/export-messages';
import { listMessages } from '../reports/list-messages';
import { getStatus } from '../tracking/get-status';

function userOf(principal: Principal, what: string): UserPrincipal {
  if (principal.kind !== 'user') throw new PermissionDeniedError(`${what} needs a user token`);
  return principal;
}

const toProtoStatus = (row: typeof messageStatus.$inferSelect): pb.MessageStatus => ({
  messageId: row.messageId,
  sentStatus: row.sentStatus ?? 0,
  sentAt: row.sentAt ?? undefined,
  deliveredStatus: row.deliveredStatus ?? 0,
  deliveredAt: row.deliveredAt ?? undefined,
  carrierMessageId: row.carrierMessageId,
  correlationId: row.correlationId,
  subaccountId: row.subaccountId,
  to: row.to,
  carrier: row.carrier,
  parts: row.parts,
});

const toSecrets = (secrets: ActiveSecret[]) => secrets.map((s) => ({ secret: s.secret, createdAt: s.createdAt, expiresAt: s.expiresAt ?? undefined }));

export function statusService(db: Db, kit: HandlerKit, callbackCache?: CallbackCache): pb.StatusServiceServer {
  return {
    getStatus: kit.unary(async (req: pb.GetStatusRequest, ctx) => {
      const row = await getStatus(db, userOf(ctx.principal, 'GetStatus'), req.messageId);
      return { status: toProtoStatus(row) };
    }),
    listMessages: kit.unary(async (req: pb.ListMessagesRequest, ctx) => {
      const page = await listMessages(db, userOf(ctx.principal, 'ListMessages'), req);
      return { messages: page.rows.map(toProtoStatus), nextPageToken: page.nextPageToken };
    }),
    getReport: kit.unary(async (req: pb.GetReportRequest, ctx) => consolidatedReport(db, userOf(ctx.principal, 'GetReport'), req)),
    exportMessages: kit.serverStream(async (req: pb.ExportMessagesRequest, ctx, send: (m: pb.ExportMessagesResponse) => Promise<void>) => {
      await exportMessages(db, userOf(ctx.principal, 'ExportMessages'), req, (csv) => send({ csv: Buffer.from(csv, 'utf8') }));
    }),
    getWebhookSecret: kit.unary(async (req: pb.GetWebhookSecretRequest, ctx) => {
      const user = userOf(ctx.principal, 'GetWebhookSecret');
      requireManager(user, 'read webhook secrets');
      const scope = { accountId: user.accountId, subaccountId: targetSubaccount(user, req.subaccountId) };
      return { secrets: toSecrets(await activeSecrets(db, scope)) };
    }),
    rotateWebhookSecret: kit.unary(async (req: pb.RotateWebhookSecretRequest, ctx) => {
      const user = userOf(ctx.principal, 'RotateWebhookSecret');
      requireManager(user, 'rotate webhook secrets');
      const scope = { accountId: user.accountId, subaccountId: targetSubaccount(user, req.subaccountId) };
      const secrets = await rotateSecret(db, scope);
      callbackCache?.forgetSecrets(scope);
      return { secrets: toSecrets(secrets) };
    }),
    listCallbacks: kit.unary(async (req: pb.ListCallbacksRequest, ctx) => {
      const rows = await listCallbacks(db, userOf(ctx.principal, 'ListCallbacks'), req.messageId);
      return {
        callbacks: rows.map((r) => ({
          id: r.id,
          type: r.type,
          url: r.url,
          state: r.state,
          payload: r.payload,
          nextAttemptAt: r.state === 'pending' ? r.nextAttemptAt : undefined,
          attempts: r.attempts.map((a) => ({ at: a.at, httpStatus: a.httpStatus, error: a.error, durationMs: a.durationMs })),
        })),
      };
    }),
  };
}
