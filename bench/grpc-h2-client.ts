import http2 from 'node:http2';

/** A unary method as ts-proto describes it (its path and how to write and read its messages). */
export interface UnaryDefinition<Req, Res> {
  path: string;
  requestSerialize(value: Req): Buffer;
  responseDeserialize(value: Buffer): Res;
}

/**
 * A load generator's gRPC client: unary calls as plain HTTP/2 requests on one connection, the
 * way ghz or k6 make them, with none of a full client's machinery (interceptors, channel
 * state, per-call objects). On the 2-core test VM grpc-js cost the benchmark 0.5-0.6 ms of
 * CPU per SendSms call, a quarter of the whole call's, competing with the services it
 * measures. The server sees the same requests either way: same path, headers and framing.
 */
export function connectGrpcH2(address: string, token: string) {
  const session = http2.connect(`http://${address}`);
  session.on('error', () => undefined); // each call fails on its own
  const headersFor = (path: string, deadlineMs: number) => ({
    ':method': 'POST',
    ':path': path,
    'content-type': 'application/grpc',
    te: 'trailers',
    'grpc-timeout': `${deadlineMs}m`,
    authorization: `Bearer ${token}`,
  });

  function call<Req, Res>(method: UnaryDefinition<Req, Res>, request: Req, deadlineMs = 60_000): Promise<Res> {
    const message = method.requestSerialize(request);
    const frame = Buffer.allocUnsafe(5 + message.length);
    frame.writeUInt8(0, 0); // not compressed
    frame.writeUInt32BE(message.length, 1);
    message.copy(frame, 5);
    return new Promise((resolve, reject) => {
      const stream = session.request(headersFor(method.path, deadlineMs));
      const chunks: Buffer[] = [];
      let status: string | undefined;
      let detail = '';
      const statusFrom = (headers: http2.IncomingHttpHeaders) => {
        if (headers['grpc-status'] !== undefined) {
          status = String(headers['grpc-status']);
          detail = decodeURIComponent(String(headers['grpc-message'] ?? ''));
        }
      };
      stream.on('response', statusFrom); // a trailers-only answer (an error) has its status here
      stream.on('trailers', statusFrom);
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', reject);
      stream.on('close', () => {
        if (status !== '0') return reject(new Error(`gRPC status ${status ?? 'missing'}: ${detail}`));
        const body = Buffer.concat(chunks);
        if (body.length < 5) return reject(new Error('gRPC answer without a message'));
        resolve(method.responseDeserialize(body.subarray(5, 5 + body.readUInt32BE(1))));
      });
      stream.end(frame);
    });
  }

  return { call, close: () => session.close() };
}
