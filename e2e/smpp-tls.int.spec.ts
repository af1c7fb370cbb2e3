// Binds over TLS (smpps://), end to end: carrier-sim serves SMPP over TLS with a test
// certificate, sending trusts that certificate (NODE_EXTRA_CA_CERTS, as an operator would add
// a private CA) and nothing else, and a message goes out and its receipt comes back. That a
// bind refuses a certificate it does not trust: apps/sending/src/smpp/smpp-bind-tls.int.spec.ts.
import { DeliveredStatus } from '@sabia/contracts';
import { REPO_ROOT, startPipeline, waitFor, type Pipeline } from '@sabia/testing';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TLS = join(REPO_ROOT, 'e2e/fixtures/tls');
let p: Pipeline;
let token: string;

/** The shipped carriers file with every bind on smpps://. */
function tlsCarriersFile(): string {
  const config = JSON.parse(readFileSync(join(REPO_ROOT, 'config/carriers.json'), 'utf8')) as { carriers: Array<{ binds: Array<{ url: string }> }> };
  for (const carrier of config.carriers) for (const bind of carrier.binds) bind.url = bind.url.replace(/^smpp:/, 'smpps:');
  const file = join(mkdtempSync(join(tmpdir(), 'sabia-tls-')), 'carriers.json');
  writeFileSync(file, JSON.stringify(config));
  return file;
}

beforeAll(async () => {
  p = await startPipeline({
    otlp: false,
    env: {
      'carrier-sim': { SMPP_TLS_CERT_FILE: join(TLS, 'smsc-cert.pem'), SMPP_TLS_KEY_FILE: join(TLS, 'smsc-key.pem') },
      sending: { CARRIERS_FILE: tlsCarriersFile(), NODE_EXTRA_CA_CERTS: join(TLS, 'smsc-cert.pem') },
    },
  });
  token = await p.tokenFor('tls-co');
}, 120_000);

afterAll(async () => {
  await p?.stop();
});

describe('SMPP over TLS', () => {
  it('binds with smpps://, submits, and gets the delivery receipt back', async () => {
    const { message } = await p.sendSms(token, { to: '+5511987654321', text: 'Olá por TLS' });
    const status = await waitFor(
      async () => {
        const s = (await p.call(p.clients.status, p.clients.status.getStatus, { messageId: message!.id }, { token })).status!;
        return s.deliveredStatus === DeliveredStatus.DELIVERED_STATUS_DELIVERED_SUCCESS ? s : undefined;
      },
      'the receipt over TLS',
      20_000,
    );
    expect(status.deliveredStatus).toBe(DeliveredStatus.DELIVERED_STATUS_DELIVERED_SUCCESS);
    expect(p.processes.get('sending')!.output()).toMatch(/"url":"smpps:[^\n]*"msg":"SMPP bound"/);
    expect(p.processes.get('carrier-sim')!.output()).toMatch(/"tls":true/);
  });
});
