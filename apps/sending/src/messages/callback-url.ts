import { InvalidArgumentError } from '@sabia/errors';
import { BlockList, isIP } from 'node:net';

// First line of SSRF defence, at acceptance: the URL must be http(s) and must not name a
// loopback, private, link-local or metadata address literally. The delivery side checks the
// address it actually connects to as well (names can resolve anywhere).
const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16],
  ['172.16.0.0', 12], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return blocked.check(mapped[1]!, 'ipv4');
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export function checkCallbackUrl(raw: string): string {
  if (!raw) return '';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InvalidArgumentError('callback_url is not a valid URL', { field: 'callback_url' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidArgumentError('callback_url must use https (or http)', { field: 'callback_url' });
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost') || isBlockedAddress(host)) {
    throw new InvalidArgumentError('callback_url must point to a public address', { field: 'callback_url' });
  }
  if (url.username || url.password) {
    throw new InvalidArgumentError('callback_url must not contain credentials', { field: 'callback_url' });
  }
  return url.toString();
}
