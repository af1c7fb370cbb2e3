import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Smsc } from './smsc/types';

export interface HttpControl {
  port: number;
  close(): Promise<void>;
}

const moBody = z.object({
  /** The carrier account whose binds receive it (default: the first account). */
  systemId: z.string().min(1).optional(),
  from: z.string().min(1),
  to: z.string().min(1),
  text: z.string().min(1),
});

// An MO is one short text; anything bigger is a mistake, not a message.
const MAX_BODY_BYTES = 64 * 1024;

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'body is not valid JSON; expected {"from": "...", "to": "...", "text": "...", "systemId"?: "..."}');
  }
}

async function route(req: IncomingMessage, res: ServerResponse, smsc: Smsc): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname;
  if (req.method === 'GET' && path === '/health') return send(res, 200, { status: 'ok' });
  if (req.method === 'GET' && path === '/counts') return send(res, 200, smsc.counts());
  if (req.method === 'GET' && path === '/submits') return send(res, 200, smsc.recentSubmits(url.searchParams.get('systemId') ?? undefined));
  if (req.method === 'POST' && path === '/mo') {
    const parsed = moBody.safeParse(await readJson(req));
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
      throw new HttpError(400, `invalid MO: ${problems.join('; ')}`);
    }
    try {
      smsc.injectMo(parsed.data);
    } catch (err) {
      throw new HttpError(404, (err as Error).message);
    }
    // Accepted, not delivered: the MO waits in the SMSC until a receiver is bound.
    return send(res, 202, { status: 'queued' });
  }
  throw new HttpError(404, `no route ${req.method} ${path}`);
}

/** Control API for tests and operators: health, counters, the latest submits and injecting mobile-originated messages. */
export async function startHttpControl(options: { host: string; port: number; smsc: Smsc; logger: Logger }): Promise<HttpControl> {
  const { logger, smsc } = options;
  const server = createServer((req, res) => {
    route(req, res, smsc).catch((err: unknown) => {
      if (err instanceof HttpError) return send(res, err.status, { error: err.message });
      logger.error({ err }, 'http control request failed');
      send(res, 500, { error: 'internal error' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections(); // keep-alive clients would otherwise hold close() open
      }),
  };
}
