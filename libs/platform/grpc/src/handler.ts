import type { handleServerStreamingCall, handleUnaryCall, ServerUnaryCall, ServerWritableStream, sendUnaryData } from '@grpc/grpc-js';
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
  /**
   * Wraps a verb that produces many messages (an export): `send` resolves when the client can
   * take more (HTTP/2 flow control), so a slow reader slows the verb down instead of filling
   * memory; a cancelled call makes `send` throw, which ends the verb.
   */
  serverStream<Req, Res>(verb: (req: Req, ctx: CallContext, send: (message: Res) => Promise<void>) => Promise<void>): handleServerStreamingCall<Req, Res>;
}

/** The caller went away: the verb stops producing. */
export class CallCancelledError extends Error {
  override readonly name = 'CallCancelledError';
}

export function handlerKit(opts: { secret: string; logger: Logger }): HandlerKit {
  const authenticate = async (metadata: ServerUnaryCall<unknown, unknown>['metadata']) =>
    verifyToken(opts.secret, bearerToken(metadata.get('authorization')[0]?.toString()));
  return {
    serverStream<Req, Res>(verb: (req: Req, ctx: CallContext, send: (message: Res) => Promise<void>) => Promise<void>) {
      return (call: ServerWritableStream<Req, Res>) => {
        let cancelled = false;
        call.on('cancelled', () => (cancelled = true));
        const send = (message: Res) =>
          new Promise<void>((resolve, reject) => {
            if (cancelled) return reject(new CallCancelledError('the client cancelled the call'));
            if (call.write(message)) resolve();
            else call.once('drain', () => resolve());
          });
        void (async () => {
          try {
            const principal = await authenticate(call.metadata);
            await verb(call.request, { principal, deadline: call.getDeadline() }, send);
            call.end();
          } catch (err) {
            if (err instanceof CallCancelledError) return;
            call.emit('error', toGrpcStatus(err, opts.logger));
          }
        })();
      };
    },
    unary<Req, Res>(verb: (req: Req, ctx: CallContext) => Promise<Res>) {
      return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => {
        void (async () => {
          try {
            const principal = await authenticate(call.metadata);
            callback(null, await verb(call.request, { principal, deadline: call.getDeadline() }));
          } catch (err) {
            callback(toGrpcStatus(err, opts.logger));
          }
        })();
      };
    },
  };
}
