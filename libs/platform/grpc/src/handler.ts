import type { handleUnaryCall, ServerUnaryCall, sendUnaryData } from '@grpc/grpc-js';
import { bearerToken, verifyToken, type Principal } from '@sabia/auth';
import type { Logger } from '@sabia/logger';
import { toGrpcStatus } from './to-grpc-status';

export interface CallContext {
  principal: Principal;
  /** The caller's deadline, so verbs can stop work nobody waits for. */
  deadline: Date | number;
}

export interface HandlerKit {
  /**
   * Wraps a verb as a unary handler: authenticate → verb → reply, errors mapped once.
   * No call reaches a verb without a verified principal.
   */
  unary<Req, Res>(verb: (req: Req, ctx: CallContext) => Promise<Res>): handleUnaryCall<Req, Res>;
}

export function handlerKit(opts: { secret: string; logger: Logger }): HandlerKit {
  return {
    unary<Req, Res>(verb: (req: Req, ctx: CallContext) => Promise<Res>) {
      return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => {
        void (async () => {
          try {
            const header = call.metadata.get('authorization')[0];
            const principal = await verifyToken(opts.secret, bearerToken(header?.toString()));
            callback(null, await verb(call.request, { principal, deadline: call.getDeadline() }));
          } catch (err) {
            callback(toGrpcStatus(err, opts.logger));
          }
        })();
      };
    },
  };
}
