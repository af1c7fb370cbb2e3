import { InvalidArgumentError } from '@sabia/errors';
import { isIP } from 'node:net';
import { STRICT_POLICY, type AddressPolicy } from './address-policy';

/**
 * First line of SSRF defence, when a customer gives us a URL: http(s) only, no credentials,
 * and no loopback, private, link-local or metadata address named literally. Names are checked
 * again where they resolve, at delivery (safePost), since DNS can point anywhere later.
 */
export function checkCustomerUrl(raw: string, field: string, policy: AddressPolicy = STRICT_POLICY): string {
  if (!raw) return '';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InvalidArgumentError(`${field} is not a valid URL`, { field });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidArgumentError(`${field} must use https (or http)`, { field });
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const literal = isIP(host) !== 0;
  if (host === 'localhost' || host.endsWith('.localhost') || (literal && !policy.allows(host))) {
    throw new InvalidArgumentError(`${field} must point to a public address`, { field });
  }
  if (url.username || url.password) {
    throw new InvalidArgumentError(`${field} must not contain credentials`, { field });
  }
  return url.toString();
}
