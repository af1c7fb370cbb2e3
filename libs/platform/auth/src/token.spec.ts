import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { bearerToken, signToken, UnauthenticatedError, verifyToken } from './index';

const secret = 's'.repeat(40);
const user = {
  kind: 'user',
  accountId: 'acc-1',
  subaccountId: 'sub-1',
  userId: 'u-1',
  role: 'administrador',
} as const;

describe('tokens', () => {
  it('round-trips a user principal', async () => {
    expect(await verifyToken(secret, await signToken(secret, user))).toEqual(user);
  });

  it('round-trips a service principal', async () => {
    const token = await signToken(secret, { kind: 'service', service: 'sending' });
    expect(await verifyToken(secret, token)).toEqual({ kind: 'service', service: 'sending' });
  });

  it('refuses a token signed with another secret', async () => {
    const token = await signToken('x'.repeat(40), user);
    await expect(verifyToken(secret, token)).rejects.toThrow(UnauthenticatedError);
  });

  it('keeps answering from its cache only for the secret that verified the token, and only until it expires', async () => {
    const token = await signToken(secret, user, 1);
    expect(await verifyToken(secret, token)).toEqual(user);
    expect(await verifyToken(secret, token)).toEqual(user); // cached
    await expect(verifyToken('y'.repeat(40), token)).rejects.toThrow(UnauthenticatedError);
    await new Promise((r) => setTimeout(r, 1_100));
    await expect(verifyToken(secret, token)).rejects.toThrow('token expired');
  });

  it('refuses an expired token', async () => {
    const token = await signToken(secret, user, -10);
    await expect(verifyToken(secret, token)).rejects.toThrow('token expired');
  });

  it('refuses a user token without a role', async () => {
    const token = await new SignJWT({ acc: 'a', sac: 's' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('sabia')
      .setSubject('u')
      .sign(new TextEncoder().encode(secret));
    await expect(verifyToken(secret, token)).rejects.toThrow('lacks account');
  });

  it('parses only well-formed bearer headers', () => {
    expect(bearerToken('Bearer abc.def')).toBe('abc.def');
    expect(() => bearerToken(undefined)).toThrow('missing bearer token');
    expect(() => bearerToken('Basic abc')).toThrow(UnauthenticatedError);
  });
});
