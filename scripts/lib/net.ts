// TCP probes. A port that accepts a connection is our readiness signal for NATS, the services'
// gRPC/SMPP/HTTP listeners, and the "is something already running here?" question.
import { connect, createServer } from 'node:net';

/** True when host:port accepts a TCP connection within timeoutMs. */
export function isListening(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export interface WaitOptions {
  timeoutMs: number;
  /** Called about every 2 s while waiting, with the seconds elapsed. */
  progress?: (elapsedS: number) => void;
  /** Checked on every round; when it returns a string, waiting stops with that as the error. */
  abort?: () => string | undefined;
}

/** Retries `probe` every 250 ms until it resolves true; throws on timeout or abort. */
export async function waitUntil(what: string, probe: () => Promise<boolean>, opts: WaitOptions): Promise<void> {
  const started = Date.now();
  let lastProgress = started;
  for (;;) {
    const aborted = opts.abort?.();
    if (aborted) throw new Error(aborted);
    if (await probe()) return;
    const now = Date.now();
    if (now - started > opts.timeoutMs) {
      throw new Error(`timed out after ${Math.round(opts.timeoutMs / 1000)} s waiting for ${what}`);
    }
    if (now - lastProgress >= 2000) {
      lastProgress = now;
      opts.progress?.(Math.round((now - started) / 1000));
    }
    await sleep(250);
  }
}

export function waitForPort(what: string, port: number, opts: WaitOptions): Promise<void> {
  return waitUntil(`${what} on 127.0.0.1:${port}`, () => isListening(port), opts);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * True when a listener could bind host:port now. Our fixed ports lie inside Linux's ephemeral
 * range, so an outgoing connection (or one closing) may hold one for a while without anything
 * listening on it.
 */
export function canBind(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}
