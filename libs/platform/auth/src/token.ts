import { errors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { UnauthenticatedError } from '@sabia/errors';
import { ROLES, type Principal } from './principal';

// HS256 with one platform secret: every service verifies every call locally, no round trip.
// Claims: sub = user id or service name; acc/sac/role for users; svc=true for services.
const ISSUER = 'sabia';
const key = (secret: string) => new TextEncoder().encode(secret);

const userClaims = z.object({
  sub: z.string().min(1),
  acc: z.string().min(1),
  sac: z.string().min(1),
  role: z.enum(ROLES),
});
const serviceClaims = z.object({ sub: z.string().min(1), svc: z.literal(true) });

export async function signToken(
  secret: string,
  principal: Principal,
  ttlSeconds = 3600,
): Promise<string> {
  const claims =
    principal.kind === 'service'
      ? { svc: true }
      : { acc: principal.accountId, sac: principal.subaccountId, role: principal.role };
  const subject = principal.kind === 'service' ? principal.service : principal.userId;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setSubject(subject)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(key(secret));
}

// Verified tokens, per secret, until they expire: a caller sends the same token on every call,
// and checking its HMAC through WebCrypto each time was a tenth of a busy service's CPU.
// Only successes are kept, so a bad token is checked (and refused) every time.
const verified = new Map<string, Map<string, { principal: Principal; expiresAt: number }>>();
const MAX_CACHED = 10_000;

export async function verifyToken(secret: string, token: string): Promise<Principal> {
  let cache = verified.get(secret);
  const hit = cache?.get(token);
  if (hit && hit.expiresAt > Date.now()) return hit.principal;
  const principal = await verifyUncached(secret, token);
  if (!cache) verified.set(secret, (cache = new Map()));
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(token, { principal, expiresAt: expiry(token) });
  return principal;
}

/** The token's `exp` in ms (already verified; tokens without one are re-checked in a minute). */
function expiry(token: string): number {
  const { exp } = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { exp?: number };
  return typeof exp === 'number' ? exp * 1000 : Date.now() + 60_000;
}

async function verifyUncached(secret: string, token: string): Promise<Principal> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, key(secret), { issuer: ISSUER, algorithms: ['HS256'] }));
  } catch (err) {
    const why = err instanceof errors.JWTExpired ? 'token expired' : 'token invalid';
    throw new UnauthenticatedError(why);
  }
  const service = serviceClaims.safeParse(payload);
  if (service.success) return { kind: 'service', service: service.data.sub };
  const user = userClaims.safeParse(payload);
  if (!user.success) throw new UnauthenticatedError('token lacks account, subaccount or role');
  return {
    kind: 'user',
    accountId: user.data.acc,
    subaccountId: user.data.sac,
    userId: user.data.sub,
    role: user.data.role,
  };
}

/** Reads `authorization: Bearer <jwt>` (gRPC metadata or HTTP header value). */
export function bearerToken(header: string | undefined): string {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!match?.[1]) throw new UnauthenticatedError('missing bearer token');
  return match[1];
}
