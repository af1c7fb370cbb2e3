import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import smpp from 'smpp';
import { startHttpControl, startSmsc, type CarrierProfile, type HttpControl, type Smsc, type SmscAccount } from './index';
import { connectEsme, sleep, type DeliverAnswer, type TestEsme } from './testing/esme';

const logger = pino({ level: 'silent' });
const credentials = { system_id: 'sabia', password: 's3cret' };
const receiptProfile: CarrierProfile = { submitDelayMs: 0, receiptDelayMs: 20, sendsReceipts: true, deliveredShare: 1 };

const smscs: Smsc[] = [];
const esmes: TestEsme[] = [];

async function smscWith(profile: Partial<CarrierProfile> = {}, more: SmscAccount[] = []): Promise<Smsc> {
  const smsc = await startSmsc({
    host: '127.0.0.1',
    port: 0,
    accounts: [{ systemId: credentials.system_id, password: credentials.password, profile: { ...receiptProfile, ...profile } }, ...more],
    logger,
    redeliveryDelayMs: 30,
  });
  smscs.push(smsc);
  return smsc;
}

async function boundEsme(
  smsc: Smsc,
  bind: 'bind_transceiver' | 'bind_transmitter' | 'bind_receiver' = 'bind_transceiver',
  answer?: DeliverAnswer,
  as = credentials,
) {
  const esme = await connectEsme(smsc.port, answer);
  esmes.push(esme);
  const resp = await esme.request(bind, as);
  expect(resp.command_status).toBe(smpp.errors.ESME_ROK);
  return esme;
}

const submit = (esme: TestEsme, fields: Record<string, unknown> = {}) =>
  esme.request('submit_sm', {
    source_addr_ton: 0x05,
    source_addr: 'Sabia',
    dest_addr_ton: 0x01,
    dest_addr_npi: 0x01,
    destination_addr: '5511987654321',
    registered_delivery: 0x01,
    short_message: 'Seu código é 123456, válido por 5 minutos',
    ...fields,
  });

const messageOf = (pdu: smpp.Pdu) => (pdu['short_message'] as { message: string }).message;

afterAll(async () => {
  await Promise.all(esmes.map((esme) => esme.close()));
  await Promise.all(smscs.map((smsc) => smsc.close()));
});

describe('carrier-sim SMSC over SMPP', () => {
  it('refuses a bind with a wrong password and keeps the session unbound', async () => {
    const smsc = await smscWith();
    const esme = await connectEsme(smsc.port);
    esmes.push(esme);
    const refused = await esme.request('bind_transceiver', { system_id: 'sabia', password: 'wrong' });
    expect(refused.command_status).toBe(smpp.errors.ESME_RBINDFAIL);
    const unboundSubmit = await submit(esme);
    expect(unboundSubmit.command_status).toBe(smpp.errors.ESME_RINVBNDSTS);
    expect(smsc.counts()).toMatchObject({ binds: 0, submits: 0 });
  });

  it('answers enquire_link and closes the session after unbind', async () => {
    const smsc = await smscWith();
    const esme = await boundEsme(smsc);
    expect((await esme.request('enquire_link')).command).toBe('enquire_link_resp');
    const closed = new Promise<void>((resolve) => esme.session.once('close', () => resolve()));
    expect((await esme.request('unbind')).command).toBe('unbind_resp');
    await closed;
  });

  it('acknowledges a submit with a fresh id and then sends a DELIVRD receipt for it', async () => {
    const smsc = await smscWith();
    const esme = await boundEsme(smsc);
    const [first, second] = [await submit(esme), await submit(esme)];
    expect(first.command_status).toBe(smpp.errors.ESME_ROK);
    expect(first['message_id']).toMatch(/^[0-9a-f]{16}$/);
    expect(second['message_id']).not.toBe(first['message_id']);

    const receipt = await esme.nextDeliver((pdu) => pdu['receipted_message_id'] === first['message_id']);
    expect(receipt['esm_class']).toBe(0x04);
    expect(receipt['message_state']).toBe(2);
    expect(messageOf(receipt)).toMatch(
      new RegExp(
        `^id:${first['message_id']} sub:001 dlvrd:001 submit date:\\d{10} done date:\\d{10} stat:DELIVRD err:000 text:Seu codigo e 123456,$`,
      ),
    );
    // Swapped, as the receipt comes back from the handset.
    expect([receipt['source_addr'], receipt['source_addr_ton'], receipt['destination_addr']]).toEqual(['5511987654321', 1, 'Sabia']);
    await esme.nextDeliver((pdu) => pdu['receipted_message_id'] === second['message_id']);
    await expect.poll(() => smsc.counts()).toMatchObject({ binds: 1, submits: 2, throttled: 0, rejected: 0, receiptsSent: 2, mo: 0, queued: 0 });
  });

  it('reports UNDELIV with message_state 5 when the profile delivers nothing', async () => {
    const smsc = await smscWith({ deliveredShare: 0 });
    const esme = await boundEsme(smsc);
    const resp = await submit(esme);
    const receipt = await esme.nextDeliver();
    expect(receipt['receipted_message_id']).toBe(resp['message_id']);
    expect(receipt['message_state']).toBe(5);
    expect(messageOf(receipt)).toContain('dlvrd:000');
    expect(messageOf(receipt)).toContain('stat:UNDELIV err:001');
  });

  it('sends no receipt for a profile without receipts (Oi, Sercomtel) nor when none was asked for', async () => {
    const silent = await smscWith({ sendsReceipts: false });
    const esme = await boundEsme(silent);
    expect((await submit(esme)).command_status).toBe(smpp.errors.ESME_ROK);
    const noRequest = await boundEsme(await smscWith());
    expect((await submit(noRequest, { registered_delivery: 0 })).command_status).toBe(smpp.errors.ESME_ROK);
    await sleep(receiptProfile.receiptDelayMs * 10);
    expect(esme.delivered).toHaveLength(0);
    expect(noRequest.delivered).toHaveLength(0);
    expect(silent.counts()).toMatchObject({ submits: 1, receiptsSent: 0, queued: 0 });
  });

  it('keeps a receipt until a receiver binds, and redelivers one the ESME refused', async () => {
    const smsc = await smscWith();
    const transmitter = await boundEsme(smsc, 'bind_transmitter');
    const resp = await submit(transmitter);
    await sleep(receiptProfile.receiptDelayMs * 5);
    expect(smsc.counts()).toMatchObject({ queued: 1, receiptsSent: 0 });
    expect(transmitter.delivered).toHaveLength(0);

    let refusals = 0;
    const refuseOnce = () => (refusals++ === 0 ? smpp.errors.ESME_RSYSERR : smpp.errors.ESME_ROK);
    const receiver = await boundEsme(smsc, 'bind_receiver', refuseOnce);
    await expect.poll(() => receiver.delivered.length).toBe(2);
    expect(receiver.delivered.map((pdu) => pdu['receipted_message_id'])).toEqual([resp['message_id'], resp['message_id']]);
    await expect.poll(() => smsc.counts()).toMatchObject({ queued: 0, receiptsSent: 1 });
  });

  it('hands a receipt left unanswered on a dropped session to the next receiver', async () => {
    const smsc = await smscWith();
    const hanging = await boundEsme(smsc, 'bind_transceiver', () => undefined);
    const resp = await submit(hanging);
    await hanging.nextDeliver();
    await hanging.close();
    const next = await boundEsme(smsc, 'bind_receiver');
    const receipt = await next.nextDeliver();
    expect(receipt['receipted_message_id']).toBe(resp['message_id']);
    await expect.poll(() => smsc.counts()).toMatchObject({ queued: 0, receiptsSent: 1 });
  });
});

describe('carrier-sim carrier profiles', () => {
  const oi = { system_id: 'oi', password: 'oi-pw' };

  it('keeps each system_id apart: receipts go only to binds of the account that submitted', async () => {
    const smsc = await smscWith({}, [{ systemId: oi.system_id, password: oi.password, profile: { ...receiptProfile } }]);
    const vivo = await boundEsme(smsc);
    const oiEsme = await boundEsme(smsc, 'bind_transceiver', undefined, oi);
    const viaOi = await submit(oiEsme);
    const viaVivo = await submit(vivo);
    await oiEsme.nextDeliver((pdu) => pdu['receipted_message_id'] === viaOi['message_id']);
    await vivo.nextDeliver((pdu) => pdu['receipted_message_id'] === viaVivo['message_id']);
    expect(vivo.delivered.map((pdu) => pdu['receipted_message_id'])).toEqual([viaVivo['message_id']]);
    expect(oiEsme.delivered.map((pdu) => pdu['receipted_message_id'])).toEqual([viaOi['message_id']]);
    expect(smsc.counts().bySystemId).toMatchObject({ sabia: { submits: 1 }, oi: { submits: 1 } });
    // The other account's password does not open this one.
    const wrong = await connectEsme(smsc.port);
    esmes.push(wrong);
    expect((await wrong.request('bind_transceiver', { system_id: 'oi', password: credentials.password })).command_status).toBe(smpp.errors.ESME_RBINDFAIL);
  });

  it('answers ESME_RTHROTTLED above the per-second cap', async () => {
    const smsc = await smscWith({ maxSubmitsPerSecond: 5 });
    const esme = await boundEsme(smsc);
    const answers = await Promise.all(Array.from({ length: 12 }, () => submit(esme)));
    const statuses = answers.map((a) => a.command_status);
    // 12 submits sent at once land in one or two one-second windows: at most 10 can pass.
    expect(statuses.filter((s) => s === smpp.errors.ESME_ROK).length).toBeLessThanOrEqual(10);
    expect(statuses.filter((s) => s === smpp.errors.ESME_RTHROTTLED).length).toBeGreaterThanOrEqual(2);
    expect(smsc.counts().throttled + smsc.counts().submits).toBe(12);
  });

  it('refuses the configured share of submits with the configured command_status', async () => {
    const smsc = await smscWith({ rejectShare: 1, rejectStatus: 0x45 });
    const esme = await boundEsme(smsc);
    expect((await submit(esme)).command_status).toBe(0x45);
    expect(smsc.counts()).toMatchObject({ submits: 0, rejected: 1 });
  });

  it('spreads receipt delays between receiptDelayMs and receiptDelayMaxMs', async () => {
    const smsc = await smscWith({ receiptDelayMs: 0, receiptDelayMaxMs: 300 });
    const arrivals: number[] = [];
    const esme = await boundEsme(smsc, 'bind_transceiver', () => (arrivals.push(Date.now()), 0));
    await Promise.all(Array.from({ length: 20 }, () => submit(esme)));
    await expect.poll(() => arrivals.length).toBe(20);
    // Uniform over 0–300 ms: 20 receipts do not all come at once.
    expect(Math.max(...arrivals) - Math.min(...arrivals)).toBeGreaterThan(50);
  });

  it('can send the receipt before the submit_sm_resp, and a receipt twice', async () => {
    const early = await smscWith({ receiptBeforeResponse: true, receiptDelayMs: 0 });
    const order: string[] = [];
    const esme = await boundEsme(early, 'bind_transceiver', () => (order.push('receipt'), 0));
    const resp = await submit(esme);
    order.push('resp');
    expect(order).toEqual(['receipt', 'resp']);
    expect(esme.delivered[0]!['receipted_message_id']).toBe(resp['message_id']);

    const twice = await smscWith({ duplicateReceiptShare: 1 });
    const other = await boundEsme(twice);
    const id = (await submit(other))['message_id'];
    await expect.poll(() => other.delivered.filter((pdu) => pdu['receipted_message_id'] === id).length).toBe(2);
  });

  it('drops binds at random when the profile is flaky, and the queue survives it', async () => {
    const smsc = await smscWith({ bindDropMeanSeconds: 0.05 });
    const esme = await boundEsme(smsc);
    await new Promise<void>((resolve) => esme.session.once('close', () => resolve()));
  });
});

describe('carrier-sim HTTP control', () => {
  let smsc: Smsc;
  let http: HttpControl;
  let url: string;

  beforeAll(async () => {
    smsc = await smscWith();
    http = await startHttpControl({ host: '127.0.0.1', port: 0, smsc, logger });
    url = `http://127.0.0.1:${http.port}`;
  });
  afterAll(() => http.close());

  it('reports health and counts', async () => {
    expect(await (await fetch(`${url}/health`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${url}/counts`)).json()).toMatchObject({ binds: 0, submits: 0, mo: 0 });
  });

  it('delivers an injected MO as a plain deliver_sm to a bound receiver', async () => {
    const esme = await boundEsme(smsc, 'bind_receiver');
    const res = await fetch(`${url}/mo`, {
      method: 'POST',
      body: JSON.stringify({ from: '+5511987654321', to: '28911', text: 'SAIR' }),
    });
    expect(res.status).toBe(202);
    const mo = await esme.nextDeliver();
    expect(mo['esm_class']).toBe(0x00);
    expect([mo['source_addr'], mo['source_addr_ton'], mo['destination_addr'], messageOf(mo)]).toEqual(['5511987654321', 1, '28911', 'SAIR']);
    await expect.poll(async () => (await (await fetch(`${url}/counts`)).json()) as unknown).toMatchObject({ mo: 1 });
  });

  it('answers 400 with a clear message for bad JSON or a bad MO', async () => {
    const bad = await fetch(`${url}/mo`, { method: 'POST', body: '{"from": ' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/not valid JSON/);
    const missing = await fetch(`${url}/mo`, { method: 'POST', body: JSON.stringify({ from: '+5511987654321' }) });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: string }).error).toMatch(/to: .*text: /);
  });
});
