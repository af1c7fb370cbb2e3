import {
  credentials,
  Metadata,
  type CallOptions,
  type Client,
  type ClientReadableStream,
  type ClientUnaryCall,
  type ServiceError,
} from '@grpc/grpc-js';
import { MAX_MESSAGE_BYTES } from './server';

/** Every outgoing call gets a deadline; a caller that forgets one cannot hang forever. */
export const DEFAULT_DEADLINE_MS = 5_000;

export type ClientCtor<C extends Client> = new (
  address: string,
  creds: ReturnType<typeof credentials.createInsecure>,
  options?: Record<string, unknown>,
) => C;

export function createClient<C extends Client>(Ctor: ClientCtor<C>, address: string): C {
  return new Ctor(address, credentials.createInsecure(), {
    'grpc.enable_channelz': 0,
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  });
}

type UnaryMethod<Req, Res> = (
  request: Req,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response: Res) => void,
) => ClientUnaryCall;

/** Promise form of a generated unary method, with a bearer token and a deadline. */
export function callUnary<Req, Res>(
  client: Client,
  method: UnaryMethod<Req, Res>,
  request: Req,
  opts: { token: string; deadlineMs?: number },
): Promise<Res> {
  const deadline = Date.now() + (opts.deadlineMs ?? DEFAULT_DEADLINE_MS);
  return new Promise((resolve, reject) => {
    method.call(client, request, bearer(opts.token), { deadline }, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

type ServerStreamMethod<Req, Res> = (request: Req, metadata: Metadata, options: Partial<CallOptions>) => ClientReadableStream<Res>;

/**
 * A server-streaming call as an async iterable, with a bearer token and a deadline (longer by
 * default: an export runs for as long as it has rows). Breaking out of the loop cancels the call.
 */
export async function* callServerStream<Req, Res>(
  client: Client,
  method: ServerStreamMethod<Req, Res>,
  request: Req,
  opts: { token: string; deadlineMs?: number },
): AsyncGenerator<Res> {
  const call = method.call(client, request, bearer(opts.token), { deadline: Date.now() + (opts.deadlineMs ?? 3600_000) });
  try {
    for await (const message of call) yield message as Res;
  } finally {
    call.cancel();
  }
}

function bearer(token: string): Metadata {
  const metadata = new Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  return metadata;
}
