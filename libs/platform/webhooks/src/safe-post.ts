import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import type { AddressPolicy } from './address-policy';
import { ConnectionPool, DeliveryNetworkError, type Destination } from './connection-pool';

/** The URL leads somewhere it must not (SSRF): never retried. */
export class RefusedDestinationError extends Error {
  override readonly name = 'RefusedDestinationError';
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

/**
 * POSTs to a customer's URL without letting it reach our own network:
 * - every address the name resolves to must be allowed (a name with one private address among
 *   public ones is refused: DNS round robin would reach it sooner or later);
 * - the connection goes to the vetted address itself, never to the name (so a second DNS
 *   answer cannot swap in 127.0.0.1), and the socket's remote address is checked again;
 * - redirects are never followed (a 3xx is just the answer);
 * - every attempt resolves and checks afresh; connections are reused (with `pool`) only for
 *   the same vetted address.
 */
export async function safePost(
  url: string,
  options: { body: string; headers: Record<string, string>; timeoutMs: number; policy: AddressPolicy; resolve?: Resolve; pool?: ConnectionPool },
): Promise<PostResult> {
  const target = parsedUrl(url);
  const protocol = target.protocol;
  if (protocol !== 'http:' && protocol !== 'https:') throw new RefusedDestinationError(`only http and https URLs are called, not ${protocol}`);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  const literal = isIP(host); // 4 or 6 for an address, 0 for a name
  let addresses: LookupAddress[];
  if (literal) addresses = [{ address: host, family: literal }];
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

  const started = performance.now();
  const pool = options.pool ?? new ConnectionPool();
  try {
    const to: Destination = { protocol, address: pinned.address, family: pinned.family, port: Number(target.port) || (protocol === 'https:' ? 443 : 80), servername: literal ? undefined : host };
    const answer = await pool.send(to, requestBytes(target, options), options.timeoutMs, (remote) => {
      // A pooled connection was checked when it connected; it is checked again anyway.
      if (!options.policy.allows(remote)) throw new RefusedDestinationError(`connected to ${remote}, which is not a public address`);
    });
    return { status: answer.status, address: pinned.address, durationMs: Math.round(performance.now() - started) };
  } finally {
    if (!options.pool) pool.close();
  }
}

/** The whole POST, head and body, in one buffer: written to the connection in one piece. */
function requestBytes(target: URL, options: { body: string; headers: Record<string, string> }): Buffer {
  let head = `POST ${target.pathname}${target.search} HTTP/1.1\r\nhost: ${target.host}\r\n`;
  for (const [name, value] of Object.entries(options.headers)) {
    if (/[\r\n]/.test(name) || /[\r\n]/.test(value)) throw new Error(`header ${JSON.stringify(name)} holds a line break`);
    head += `${name}: ${value}\r\n`;
  }
  head += `content-length: ${Buffer.byteLength(options.body)}\r\nuser-agent: Sabia-Webhooks/1\r\n\r\n`;
  return Buffer.from(head + options.body);
}
