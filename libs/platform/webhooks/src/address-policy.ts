import { BlockList, isIP } from 'node:net';

// Where a customer's URL may never lead (SSRF): loopback, private, carrier-grade NAT,
// link-local (169.254.169.254 is the cloud metadata service), benchmark, multicast and
// reserved ranges, in both families.
const BLOCKED_V4: Array<[string, number]> = [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16],
  ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
];
const BLOCKED_V6: Array<[string, number]> = [['::', 128], ['::1', 128], ['64:ff9b::', 96], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]];

/**
 * Decides which addresses a customer URL may reach. `allowed` lists CIDRs taken out of the
 * blocked ranges on purpose (a development machine's 127.0.0.1/32, a test's receiver); in
 * production it stays empty.
 */
export class AddressPolicy {
  private readonly blocked = new BlockList();
  private readonly allowed = new BlockList();

  constructor(allowed: readonly string[] = []) {
    for (const [net, prefix] of BLOCKED_V4) this.blocked.addSubnet(net, prefix, 'ipv4');
    for (const [net, prefix] of BLOCKED_V6) this.blocked.addSubnet(net, prefix, 'ipv6');
    for (const cidr of allowed) {
      const [net, bits] = cidr.split('/');
      const family = isIP(net ?? '');
      if (!family) throw new Error(`not a CIDR: ${cidr}`);
      this.allowed.addSubnet(net!, Number(bits ?? (family === 4 ? 32 : 128)), family === 4 ? 'ipv4' : 'ipv6');
    }
  }

  // Verdicts by address: a receiver taking thousands of callbacks is checked twice per call
  // (resolved and connected address), and BlockList.check allocates on every call.
  private readonly verdicts = new Map<string, boolean>();

  /** True for a public address (or one explicitly allowed); false for anything else, names included. */
  allows(address: string): boolean {
    let verdict = this.verdicts.get(address);
    if (verdict === undefined) {
      verdict = this.decide(address);
      if (this.verdicts.size >= 10_000) this.verdicts.clear();
      this.verdicts.set(address, verdict);
    }
    return verdict;
  }

  private decide(address: string): boolean {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    const ip = mapped ? mapped[1]! : address;
    const family = isIP(ip);
    if (family === 0) return false;
    const type = family === 4 ? 'ipv4' : 'ipv6';
    return this.allowed.check(ip, type) || !this.blocked.check(ip, type);
  }
}

/** The policy with no exceptions: what acceptance-time checks use. */
export const STRICT_POLICY = new AddressPolicy();
