import { createLogger } from '@sabia/logger';
import { REPO_ROOT, waitFor } from '@sabia/testing';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { SmppBind } from './smpp-bind';

const TLS = join(REPO_ROOT, 'e2e/fixtures/tls');

describe('an smpps:// bind', () => {
  // The test certificate is self-signed and this process was not told to trust it (sending
  // trusts a private CA only through NODE_EXTRA_CA_CERTS; e2e/smpp-tls.int.spec.ts covers that).
  it('verifies the SMSC certificate: one it does not trust gets no further than the handshake', async () => {
    let handshakes = 0;
    const server = tls.createServer({ cert: readFileSync(join(TLS, 'smsc-cert.pem')), key: readFileSync(join(TLS, 'smsc-key.pem')) }, (socket) => {
      handshakes++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const lines: string[] = [];
    const logger = createLogger('sending', 'debug', new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }));
    const bind = new SmppBind({
      bind: { url: `smpps://127.0.0.1:${(server.address() as AddressInfo).port}`, systemId: 'vivo', password: 'secret', count: 1, window: 10, maxPerSecond: 0 },
      carrier: 'vivo',
      receipts: true,
      logger,
      onDeliver: async () => undefined,
    });
    try {
      bind.start();
      await waitFor(async () => lines.find((l) => /self[- ]signed certificate/.test(l)), 'the refused handshake', 10_000);
    } finally {
      await bind.stop();
      server.close();
    }
    expect(handshakes).toBe(0);
    expect(lines.join('')).not.toMatch(/SMPP bound/);
    expect(lines.join('')).not.toContain('secret'); // nor does the password reach the log
  });
});
