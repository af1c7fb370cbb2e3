import { status as pb } from '@sabia/contracts';
import type { Db } from '@sabia/db';
import { PermissionDeniedError } from '@sabia/errors';
import type { HandlerKit } from '@sabia/grpc-kit';
import { getStatus } from '../tracking/get-status';

export function statusService(db: Db, kit: HandlerKit): pb.StatusServiceServer {
  return {
    getStatus: kit.unary(async (req: pb.GetStatusRequest, ctx) => {
      if (ctx.principal.kind !== 'user') throw new PermissionDeniedError('GetStatus needs a user token');
      const row = await getStatus(db, ctx.principal, req.messageId);
      return {
        status: {
          messageId: row.messageId,
          sentStatus: row.sentStatus ?? 0,
          sentAt: row.sentAt ?? undefined,
          deliveredStatus: row.deliveredStatus ?? 0,
          deliveredAt: row.deliveredAt ?? undefined,
          carrierMessageId: row.carrierMessageId,
          correlationId: row.correlationId,
        },
      };
    }),
  };
}
