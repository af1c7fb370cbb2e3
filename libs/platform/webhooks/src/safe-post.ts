import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { AddressPolicy } from './address-policy';

/** The URL leads somewhere it must not (SSRF): never retried. */
export class RefusedDestinationError extends Error {
  override readonly name = 'RefusedDestinationError';
}

/** No answer within the timeout, or the connection failed: worth retrying. */
export class DeliveryNetworkError extends Error {
  override readonly name = 'DeliveryNetworkError';
}

export interface PostResult {
  status: number;
  /** The address we actually talked to, after every check. */
  address: string;
  durationMs: number;
}

type Resolve = (host: string) => Promise<LookupAddress[]>;

const resolveAll: Resolve = (host) =>
  new Promise((resolve, reject) => dnsLookup(host, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));

// Responses are read (to free the socket) but only this much is kept.
const MAX_RESPONSE_BYTES = 4096;

/**
 * POSTs to a customer's URL without letting it reach our own network:
 * - every address the name resolves to must be allowed (a name with one private address among
 *   public ones is refused: DNS round robin would reach it sooner or later);
 * - the connection is pinned to the vetted address (our lookup answers with it, so a second
 *   DNS answer cannot swap in 127.0.0.1), and the socket's remote address is checked again;
 * - redirects are never followed (a 3xx is just the answer);
 * - every attempt resolves and checks afresh; connections are reused (with `pool`) only for
 *   the same vetted address.
 */
/**
 * Keep-alive connections per (scheme, name, vetted address, port): a receiver taking
 * thousands of callbacks a minute is not made to accept a new TCP (and TLS) connection for
 * each. A connection is only ever reused for the address it was checked for.
 */
export class ConnectionPool {
  private readonly agents = new Map<string, http.Agent>();

  agentFor(protocol: string, host: string, address: string, port: string): http.Agent {
    const key = `${protocol}//${host}@${address}:${port}`;
    let agent = this.agents.get(key);
    if (!agent) {
      // As many idle connections are kept as may be open: keeping fewer closed and reopened
      // connections all the time under a steady stream of callbacks.
      const options = { keepAlive: true, maxSockets: 32, maxFreeSockets: 32, timeout: 30_000 };
      agent = protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
      this.agents.set(key, agent);
    }
    return agent;
  }

  close(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}

// Parsed URLs by text: a customer's callback URL is the same for thousands of callbacks.
const parsed = new Map<string, URL>();
function parsedUrl(url: string): URL {
  let target = parsed.get(url);
  if (!target) {
    target = new URL(url);
    if (parsed.size >= 10_000) parsed.clear();
    parsed.set(url, target);
  }
  return target;
}

export async function safePost(
  url: string,
  options: { body: string; headers: Record<string, string>; timeoutMs: number; policy: AddressPolicy; resolve?: Resolve; pool?: ConnectionPool },
): Promise<PostResult> {
  const target = parsedUrl(url);
  if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new RefusedDestinationError(`only http and https URLs are called, not ${target.protocol}`);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  let addresses: LookupAddress[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await (options.resolve ?? resolveAll)(host);
    } catch (err) {
      throw new DeliveryNetworkError(`cannot resolve ${host}: ${(err as Error).message}`);
    }
  }
  if (addresses.length === 0) throw new DeliveryNetworkError(`${host} has no address`);
  const refused = addresses.find((a) => !options.policy.allows(a.address));
  if (refused) throw new RefusedDestinationError(`${host} resolves to ${refused.address}, which is not a public address`);
  const pinned = addresses[0]!;
  const lookup: LookupFunction = (_hostname, opts, callback) => {
    if (opts.all) (callback as (err: null, addresses: LookupAddress[]) => void)(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };

  const started = performance.now();
  const client = target.protocol === 'https:' ? https : http;
  return new Promise<PostResult>((resolve, reject) => {
    const request = client.request(
      {
        method: 'POST',
        hostname: host,
        port: target.port || undefined,
        path: `${target.pathname}${target.search}`,
        headers: { ...options.headers, 'content-length': Buffer.byteLength(options.body), 'user-agent': 'Sabia-Webhooks/1' },
        lookup,
        agent: options.pool ? options.pool.agentFor(target.protocol, host, pinned.address, target.port) : false,
        servername: isIP(host) ? undefined : host, // SNI and certificate check use the name
        timeout: options.timeoutMs,
      },
      (response) => {
        let kept = 0;
        response.on('data', (chunk: Buffer) => {
          kept += chunk.length;
          if (kept > MAX_RESPONSE_BYTES) response.destroy();
        });
        const done = () => resolve({ status: response.statusCode ?? 0, address: pinned.address, durationMs: Math.round(performance.now() - started) });
        response.on('end', done);
        response.on('close', done);
      },
    );
    request.on('socket', (socket) => {
      const check = () => {
        const remote = socket.remoteAddress ?? '';
        if (!options.policy.allows(remote)) request.destroy(new RefusedDestinationError(`connected to ${remote}, which is not a public address`));
      };
      // A pooled socket is already connected (and was checked then); check it again anyway.
      if (socket.connecting) socket.once('connect', check);
      else check();
    });
    request.on('timeout', () => request.destroy(new DeliveryNetworkError(`no answer within ${options.timeoutMs} ms`)));
    request.on('error', (err) => reject(err instanceof RefusedDestinationError || err instanceof DeliveryNetworkError ? err : new DeliveryNetworkError(err.message)));
    request.end(options.body);
  });
}
