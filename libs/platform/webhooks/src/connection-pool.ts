import net, { type Socket } from 'node:net';
import tls from 'node:tls';
import { Http1ResponseReader, type Http1Answer } from './http1-response';

/** No answer within the timeout, or the connection failed: worth retrying. */
export class DeliveryNetworkError extends Error {
  override readonly name = 'DeliveryNetworkError';
}

/** Where a request goes: the vetted address, and the name TLS checks the certificate against. */
export interface Destination {
  protocol: 'http:' | 'https:';
  address: string;
  family: number;
  port: number;
  /** The URL's host name (SNI and certificate check); undefined for an address literal. */
  servername?: string;
}

// A receiver gets at most this many connections from one process, each carrying one request
// at a time; idle ones are closed after a while.
const MAX_CONNECTIONS = 32;
const IDLE_MS = 30_000;

interface Slot {
  key: string;
  idle: Socket[];
  open: number;
  /** Requests waiting for a connection: given an idle one, or null to open one in a freed place. */
  waiting: Array<(socket: Socket | null) => void>;
}

/**
 * Keep-alive HTTP/1.1 connections per (scheme, name, vetted address, port), and one request
 * at a time on each: a receiver taking thousands of callbacks a minute is not made to accept a
 * new TCP (and TLS) connection for each, and a connection is only ever reused for the address
 * it was checked for. The request is written in one piece and the answer read by
 * Http1ResponseReader: node:http's client cost 86-105 µs of CPU a request on the 2-core test
 * VM, this 22-29 µs (20,000 keep-alive POSTs to a node:http server, 256 at a time on 32
 * connections), and a callback is two requests per message.
 */
export class ConnectionPool {
  private readonly slots = new Map<string, Slot>();
  private readonly busy = new Set<Socket>();
  private closed = false;

  /**
   * Sends `request` (a whole HTTP/1.1 request) to `to` and reads the answer. `check` vets the
   * connected address (again, for a reused connection) and throws to refuse it.
   */
  async send(to: Destination, request: Buffer, timeoutMs: number, check: (remoteAddress: string) => void): Promise<Http1Answer> {
    const deadline = performance.now() + timeoutMs;
    const late = () => new DeliveryNetworkError(`no answer within ${timeoutMs} ms`);
    const socket = await this.acquire(to, deadline, late);
    try {
      check(socket.remoteAddress ?? '');
    } catch (err) {
      socket.destroy();
      throw err;
    }
    this.busy.add(socket);
    const answer = await exchange(socket, request, deadline, late).finally(() => this.busy.delete(socket));
    if (answer.reusable && !this.closed) this.release(to, socket);
    else socket.destroy();
    return answer;
  }

  close(): void {
    this.closed = true;
    for (const slot of this.slots.values()) {
      for (const socket of slot.idle) socket.destroy();
      for (const waiter of slot.waiting.splice(0)) waiter(null);
    }
    for (const socket of this.busy) socket.destroy();
  }

  private slot(to: Destination): Slot {
    const key = `${to.protocol}//${to.servername ?? ''}@${to.address}:${to.port}`;
    let slot = this.slots.get(key);
    if (!slot) this.slots.set(key, (slot = { key, idle: [], open: 0, waiting: [] }));
    return slot;
  }

  private async acquire(to: Destination, deadline: number, late: () => Error): Promise<Socket> {
    if (this.closed) throw new DeliveryNetworkError('the connection pool is closed');
    const slot = this.slot(to);
    for (let socket = slot.idle.pop(); socket; socket = slot.idle.pop()) {
      if (!socket.destroyed) return socket.setTimeout(0);
    }
    if (slot.open < MAX_CONNECTIONS) {
      slot.open++;
      return this.connect(to, slot, deadline, late);
    }
    const given = await new Promise<Socket | null>((resolve, reject) => {
      const waiter = (socket: Socket | null) => {
        clearTimeout(timer);
        resolve(socket);
      };
      const timer = setTimeout(() => {
        slot.waiting.splice(slot.waiting.indexOf(waiter), 1);
        reject(late());
      }, Math.max(0, deadline - performance.now()));
      slot.waiting.push(waiter);
    });
    if (this.closed) throw new DeliveryNetworkError('the connection pool is closed');
    // null: a connection closed and left its place to this request (already counted in `open`).
    return given ?? this.connect(to, slot, deadline, late);
  }

  private connect(to: Destination, slot: Slot, deadline: number, late: () => Error): Promise<Socket> {
    const socket =
      to.protocol === 'https:'
        ? tls.connect({ host: to.address, port: to.port, servername: to.servername, ALPNProtocols: ['http/1.1'] })
        : net.connect({ host: to.address, port: to.port, family: to.family });
    socket.setNoDelay(true);
    socket.on('timeout', () => socket.destroy()); // idle too long (armed only while idle)
    // Bytes while no request is out were never asked for: the connection is not trusted again.
    socket.on('data', () => {
      if (!this.busy.has(socket)) socket.destroy();
    });
    socket.once('close', () => {
      slot.open--;
      const at = slot.idle.indexOf(socket);
      if (at >= 0) slot.idle.splice(at, 1);
      const next = slot.waiting.shift();
      if (next) {
        slot.open++;
        next(null);
      }
      // A receiver called once is not remembered for ever (one slot per customer endpoint).
      if (slot.open === 0 && this.slots.get(slot.key) === slot) this.slots.delete(slot.key);
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => fail(late()), Math.max(0, deadline - performance.now()));
      const fail = (err: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(err instanceof DeliveryNetworkError ? err : new DeliveryNetworkError(err.message));
      };
      socket.once('error', fail);
      socket.once(to.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        socket.off('error', fail);
        // Errors between requests (a receiver resetting an idle connection) only close it.
        socket.on('error', () => socket.destroy());
        resolve(socket);
      });
    });
  }

  private release(to: Destination, socket: Socket): void {
    const slot = this.slot(to);
    const next = slot.waiting.shift();
    if (next) return next(socket);
    socket.setTimeout(IDLE_MS);
    slot.idle.push(socket);
  }
}

/** Writes the request and reads its answer, before the deadline. */
function exchange(socket: Socket, request: Buffer, deadline: number, late: () => Error): Promise<Http1Answer> {
  return new Promise((resolve, reject) => {
    const reader = new Http1ResponseReader();
    let settled = false;
    const settle = (answer?: Http1Answer, err?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('close', onEnd);
      socket.off('error', onError);
      if (answer) resolve(answer);
      else {
        socket.destroy();
        reject(err);
      }
    };
    const onData = (chunk: Buffer) => {
      try {
        const answer = reader.push(chunk);
        if (answer) settle(answer);
      } catch (err) {
        settle(undefined, new DeliveryNetworkError((err as Error).message));
      }
    };
    const onEnd = () => {
      const answer = reader.end();
      settle(answer, answer ? undefined : new DeliveryNetworkError('the receiver closed the connection before answering'));
    };
    const onError = (err: Error) => settle(undefined, new DeliveryNetworkError(err.message));
    const timer = setTimeout(() => settle(undefined, late()), Math.max(0, deadline - performance.now()));
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('close', onEnd);
    socket.on('error', onError);
    socket.write(request);
  });
}
