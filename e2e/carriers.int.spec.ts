// Issue 4 over real SMPP: sending routes by number range and portability to the carrier's own
// binds on carrier-sim (one system_id per carrier), splits long texts per the carrier's
// abilities, and status-tracking and billing follow every part.
import { status as grpcStatus, type ServiceError } from '@grpc/grpc-js';
import { connectBus, SUBJECTS } from '@sabia/bus';
import { DeliveredStatus, incidentEvents, SentStatus, type sending } from '@sabia/contracts';
import { callServerStream } from '@sabia/grpc-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '@sabia/auth';
import { PIPELINE_SECRET, startPipeline, testEnv, waitFor, type Pipeline } from '@sabia/testing';

let p: Pipeline;
let token: string;

beforeAll(async () => {
  p = await startPipeline({
    otlp: false,
    profiles: {
      claro: { deliveredShare: 0 }, // every Claro message ends undelivered (104)
      nextel: { rejectShare: 1, rejectStatus: 0x45 }, // Nextel refuses every submit (103)
      algar: { maxSubmitsPerSecond: 10 }, // a 10/s cap, answered with ESME_RTHROTTLED above it
    },
  });
  token = await p.tokenFor('acme');
}, 120_000);

afterAll(async () => {
  await p?.stop();
});

const send = (req: Partial<sending.SendSmsRequest>) => p.sendSms(token, req);

const statusOf = async (id: string) => (await p.call(p.clients.status, p.clients.status.getStatus, { messageId: id }, { token })).status!;

const eventually = <T>(id: string, ready: (s: Awaited<ReturnType<typeof statusOf>>) => T | undefined, what: string) =>
  waitFor(async () => ready(await statusOf(id)), `${what} for ${id}`, 20_000);

const transfersOf = async (id: string) =>
  (await p.call(p.clients.billing, p.clients.billing.listTransfers, { messageId: id }, { token })).transfers;

const settled = (id: string) =>
  waitFor(async () => {
    const transfers = await transfersOf(id);
    const pending = transfers.filter((t) => t.kind === 'pending').length;
    return pending > 0 && transfers.length === 2 * pending ? transfers : undefined;
  }, `every part of ${id} settled`, 20_000);

interface SimSubmit { systemId: string; to: string; esmClass: number; udhHex: string; text: string }
const submitsTo = async (systemId: string, to: string): Promise<SimSubmit[]> => {
  const all = (await (await fetch(`${p.simUrl}/submits?systemId=${systemId}`)).json()) as SimSubmit[];
  return all.filter((s) => s.to === to.replace('+', ''));
};

const sql = (query: string, params: unknown[] = []) => p.query(query, params);

// GSM-7 and over 160 septets: two concatenated parts (153 + the rest).
const LONG = 'Sua fatura de novembro fechou em R$ 152,30 e vence no dia 10. Pague pelo app, pelo Pix ou no boleto enviado por e-mail. Duvidas? Responda esta mensagem ou ligue 4004-0000 a qualquer hora.';
// With an accent (UCS-2 where accents are allowed): transliterated for Sercomtel.
const ACCENTED = 'Sua fatura de novembro fechou em R$ 152,30 e vence no dia 10. Pague pelo app, pelo Pix ou no boleto enviado por e-mail. Dúvidas? Responda esta mensagem ou ligue 4004-0000.';

describe('carriers over SMPP', () => {
  it('sends a two-part message as concatenated parts with one reference, reports 401 then 4, and bills both parts', async () => {
    const to = '+5511987650001'; // Vivo range
    const { message } = await send({ to, text: LONG });
    expect(message!.parts).toBe(2);
    const final = await eventually(message!.id, (s) => (s.sentStatus && s.deliveredStatus === DeliveredStatus.DELIVERED_STATUS_DELIVERED_SUCCESS ? s : undefined), 'the first level and both receipts');
    expect(final.sentStatus).toBe(SentStatus.SENT_STATUS_SENT_SUCCESS);

    const parts = await submitsTo('vivo', to);
    expect(parts).toHaveLength(2);
    expect(parts.every((s) => (s.esmClass & 0x40) === 0x40)).toBe(true);
    const [ref1, ref2] = parts.map((s) => s.udhHex.slice(6, 8));
    expect(parts.map((s) => s.udhHex.slice(0, 6) + s.udhHex.slice(8))).toEqual(['0500030201', '0500030202']);
    expect(ref1).toBe(ref2);
    expect(parts.map((s) => s.text).join('')).toBe(LONG);

    const history = await sql('select level, code from status.status_history where message_id = $1 order by id', [message!.id]);
    // The message's 401 (split), and one receipt per part.
    const second = history.filter((h) => h.level === 2).map((h) => h.code);
    expect(second.filter((c) => c === 401)).toHaveLength(1);
    expect(second.filter((c) => c === 4)).toHaveLength(2);

    const transfers = await settled(message!.id);
    expect(transfers.filter((t) => t.kind === 'post_pending').map((t) => t.part).sort()).toEqual([1, 2]);
  });

  it('gives the next long message to the same handset another reference', async () => {
    const to = '+5511987650002';
    const ids = [];
    for (let i = 0; i < 2; i++) ids.push((await send({ to, text: LONG })).message!.id);
    await Promise.all(ids.map((id) => eventually(id, (s) => (s.sentStatus ? s : undefined), 'the first level')));
    const refs = new Set((await submitsTo('vivo', to)).map((s) => s.udhHex.slice(6, 8)));
    expect(refs.size).toBe(2);
  });

  it('marks "(1/2)" parts and transliterates for a carrier that neither concatenates nor takes accents (Sercomtel)', async () => {
    const to = '+5543991230003'; // Sercomtel range
    const { message } = await send({ to, text: ACCENTED });
    const status = await eventually(message!.id, (s) => (s.sentStatus ? s : undefined), 'the first level');
    expect(status.sentStatus).toBe(SentStatus.SENT_STATUS_SENT_SUCCESS);
    const parts = await submitsTo('sercomtel', to);
    expect(parts.map((s) => s.esmClass & 0x40)).toEqual([0, 0]);
    expect(parts.map((s) => s.text.slice(0, 6))).toEqual(['(1/2) ', '(2/2) ']);
    expect(parts.map((s) => s.text.slice(6)).join('')).toBe(ACCENTED.replace('Dúvidas', 'Duvidas'));
  });

  it('ends an Oi message at the first level: no receipt, billed once', async () => {
    const { message } = await send({ to: '+5571985230004' });
    await eventually(message!.id, (s) => (s.sentStatus === SentStatus.SENT_STATUS_SENT_SUCCESS ? s : undefined), 'SENT_SUCCESS');
    expect((await submitsTo('oi', '+5571985230004'))).toHaveLength(1);
    const transfers = await settled(message!.id);
    expect(transfers.map((t) => t.kind)).toEqual(['pending', 'post_pending']);
    await new Promise((r) => setTimeout(r, 500)); // a receipt would have come after 50 ms
    expect((await statusOf(message!.id)).deliveredStatus).toBe(DeliveredStatus.DELIVERED_STATUS_UNSPECIFIED);
  });

  it('reports an undelivered message as 104 and still bills it (the carrier accepted it)', async () => {
    const { message } = await send({ to: '+5521961230005' }); // Claro: deliveredShare 0
    const status = await p.bothLevels(token, message!.id);
    expect([status.sentStatus, status.deliveredStatus]).toEqual([SentStatus.SENT_STATUS_SENT_SUCCESS, DeliveredStatus.DELIVERED_STATUS_NOT_DELIVERED]);
    expect((await settled(message!.id)).map((t) => t.kind)).toEqual(['pending', 'post_pending']);
  });

  it('reports a submit the carrier refuses as 103 and never bills it', async () => {
    const { message } = await send({ to: '+5511970123006' }); // Nextel: every submit refused
    const status = await eventually(message!.id, (s) => (s.sentStatus ? s : undefined), 'the first level');
    expect(status.sentStatus).toBe(SentStatus.SENT_STATUS_REJECTED_BY_CARRIER);
    expect((await settled(message!.id)).map((t) => t.kind)).toEqual(['pending', 'void_pending']);
  });

  it('routes a ported number to the carrier it moved to', async () => {
    const to = '+5511987650007'; // Vivo range, ported to TIM
    const ops = await signToken(PIPELINE_SECRET, { kind: 'service', service: 'ops-cli' });
    const bad = await p.call(p.clients.sending, p.clients.sending.importPortedNumbers, { ported: [{ number: to, carrier: 'tim' }, { number: 'x', carrier: 'nope' }], unported: [] }, { token: ops }).catch((e: { code: number; details: string }) => e);
    expect(bad).toMatchObject({ code: 3 });
    expect((bad as { details: string }).details).toMatch(/ported\[1\]\.number/);
    expect((bad as { details: string }).details).toMatch(/ported\[1\]\.carrier: no carrier nope/);
    await expect(p.call(p.clients.sending, p.clients.sending.importPortedNumbers, { ported: [{ number: to, carrier: 'tim' }], unported: [] }, { token })).rejects.toMatchObject({ code: 7 });
    const imported = await p.call(p.clients.sending, p.clients.sending.importPortedNumbers, { ported: [{ number: to, carrier: 'tim' }], unported: [] }, { token: ops });
    expect(imported).toEqual({ ported: 1, unported: 0 });
    const { message } = await send({ to });
    await eventually(message!.id, (s) => (s.deliveredStatus ? s : undefined), 'the receipt');
    expect(await submitsTo('tim', to)).toHaveLength(1);
    expect(await submitsTo('vivo', to)).toHaveLength(0);
  });

  it('refuses a number no carrier serves with 214 and submits nothing', async () => {
    const err = await send({ to: '+5511901230008' }).then(() => undefined, (e: ServiceError) => e);
    expect(grpcStatus[err!.code]).toBe('FAILED_PRECONDITION');
    expect(err!.details).toMatch(/214 INVALID_CUSTOMER_CONFIGURATION: no carrier route/);
  });

  it('respects a 10/s carrier cap: throttled submits are slowed down and resent, none lost', async () => {
    const numbers = Array.from({ length: 30 }, (_, i) => `+55349912${String(3000 + i).padStart(5, '0')}`); // Algar range
    // One batch, so all 30 reach the dispatcher at once: three times the cap.
    const batch = await p.call(p.clients.sending, p.clients.sending.sendBatch, {
      text: 'Sabiá: limite de 10/s', recipients: numbers.map((to) => ({ to, text: '', variables: {}, correlationId: '' })),
      idempotencyKey: 'algar-cap', correlationId: '', callbackUrl: '', validitySeconds: 0,
    }, { token });
    const ids = batch.results.map((r) => r.messageId);
    const statuses = await Promise.all(ids.map((id) => eventually(id, (s) => (s.sentStatus ? s : undefined), 'the first level')));
    expect(statuses.every((s) => s.sentStatus === SentStatus.SENT_STATUS_SENT_SUCCESS)).toBe(true);
    const counts = (await (await fetch(`${p.simUrl}/counts`)).json()) as { bySystemId: Record<string, { submits: number; throttled: number }> };
    expect(counts.bySystemId.algar!.submits).toBe(30);
    expect(counts.bySystemId.algar!.throttled).toBeGreaterThan(0);
    // Each submit was accepted once: no message of ours got two carrier ids.
    const rows = await sql(`select count(*)::int as n from sending.message_parts where carrier = 'algar'`);
    expect(rows[0].n).toBe(30);
  });
});

describe('reports over the messages above', () => {
  const today = new Date();
  const day = (offset: number) => new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + offset)).toISOString().slice(0, 10);
  const period = { periodStart: new Date(Date.now() - 86_400_000), periodEnd: new Date(Date.now() + 86_400_000) };
  const filter = { subaccountId: '', sentStatus: 0, deliveredStatus: 0, correlationId: '', destination: '', carrier: '', ...period };

  it('counts them per carrier and status, and the CSV export has one line per message', async () => {
    const report = await p.call(p.clients.status, p.clients.status.getReport, { filter, timeZone: 'UTC' }, { token });
    const byCarrier = new Map<string, bigint>();
    for (const r of report.rows) byCarrier.set(r.carrier, (byCarrier.get(r.carrier) ?? 0n) + r.messages);
    expect(byCarrier.get('algar')).toBe(30n);
    expect(report.rows.find((r) => r.carrier === 'nextel')).toMatchObject({ sentStatus: SentStatus.SENT_STATUS_REJECTED_BY_CARRIER });

    const chunks: Buffer[] = [];
    for await (const chunk of callServerStream(p.clients.status, p.clients.status.exportMessages, { filter }, { token })) chunks.push(Buffer.from(chunk.csv));
    const lines = Buffer.concat(chunks).toString('utf8').trimEnd().split('\r\n');
    expect(lines.length - 1).toBe(Number(report.totalMessages));
  });

  it('prints the consolidated report and exports the CSV from the CLI', async () => {
    const run = (args: string[]) => p.runCli('acme', args);
    const table = await run(['report', '--from', day(-1), '--to', day(1), '--tz', 'UTC']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/algar\s+2 SENT_SUCCESS/);
    expect(table.stdout).toMatch(/total \d+ messages/);
    const csv = await run(['report', '--from', day(-1), '--to', day(1), '--tz', 'UTC', '--csv']);
    expect(csv.code).toBe(0);
    expect(csv.stdout.split('\r\n')[0]).toMatch(/^message_id,subaccount_id,to,/);
    expect(csv.stderr).toMatch(/\d+ rows exported/);
  }, 60_000);
});

describe('carrier-specific prices', () => {
  it('charges each part at the account’s price for the carrier, set by an operator', async () => {
    const ops = await signToken(PIPELINE_SECRET, { kind: 'service', service: 'ops-cli' });
    const effectiveFrom = new Date(Date.now() - 1000);
    const base = { id: '', accountId: 'acme', channel: 'sms', country: 'BR', currency: 'BRL', effectiveFrom };
    await p.call(p.clients.billing, p.clients.billing.setPrice, { price: { ...base, carrier: 'tim', unitPrice: 7n } }, { token: ops });
    // A customer may not set prices.
    await expect(p.call(p.clients.billing, p.clients.billing.setPrice, { price: { ...base, carrier: 'tim', unitPrice: 1n } }, { token })).rejects.toMatchObject({ code: 7 });
    const { message } = await send({ to: '+5531951239001', text: LONG }); // TIM, two parts
    const transfers = await settled(message!.id);
    expect(transfers.filter((t) => t.kind === 'post_pending').map((t) => t.amount)).toEqual([7n, 7n]);
    const listed = await p.call(p.clients.billing, p.clients.billing.listPrices, { channel: 'sms' }, { token });
    expect(listed.prices.find((pr) => pr.carrier === 'tim')).toMatchObject({ unitPrice: 7n, accountId: 'acme' });
  });
});

describe('quotas', () => {
  it('refuses with 215 once the month’s quota is used, and says why', async () => {
    const admin = await p.tokenFor('quota-co');
    const { quota } = await p.call(p.clients.billing, p.clients.billing.setQuota, { accountId: '', monthlyParts: 2n }, { token: admin });
    expect(quota).toMatchObject({ limited: true, monthlyParts: 2n });
    const user = await p.tokenFor('quota-co', 'usuario');
    await expect(p.call(p.clients.billing, p.clients.billing.setQuota, { accountId: '', monthlyParts: 99n }, { token: user })).rejects.toMatchObject({ code: 7 });
    await p.sendSms(admin, { to: '+5511987659001', text: LONG }); // two parts: the whole quota
    const refused = await p.sendSms(admin, { to: '+5511987659002' }).then(() => undefined, (e: { code: number; details: string }) => e);
    expect(refused?.code).toBe(8); // RESOURCE_EXHAUSTED
    expect(refused?.details).toMatch(/215 CUSTOMER_QUOTA_BLOCKED: your quota is blocked or used up/);
    const after = await p.call(p.clients.billing, p.clients.billing.getQuota, {}, { token: admin });
    expect(after.quota!.pendingParts + after.quota!.usedParts).toBe(2n);
  });
});

describe('incident windows', () => {
  it('bills nothing reserved inside a declared window, and the statement says how much', async () => {
    const bus = await connectBus(testEnv.NATS_URL, 'e2e-incident', p.natsNamespace);
    try {
      const window = { incidentId: 'INC-42', startsAt: new Date(Date.now() - 1000), endsAt: undefined, componentIds: ['sms-claro'] };
      await bus.js.publish(bus.names.subject(SUBJECTS.incidentWindowDeclared), incidentEvents.IncidentWindowDeclared.encode(window).finish(), { msgID: 'inc-42-open' });
      // The window reaches billing asynchronously; a message sent once it has shows the rule.
      await waitFor(async () => ((await sql(`select 1 from billing.incident_windows where incident_id = 'INC-42'`)).length ? true : undefined), 'the window in billing');
      const { message } = await send({ to: '+5521961239002' }); // Claro, inside the window
      const transfers = await settled(message!.id);
      expect(transfers.map((t) => t.kind)).toEqual(['pending', 'void_pending']);
      const statement = await p.call(p.clients.billing, p.clients.billing.getIncidentStatement, { incidentId: 'INC-42' }, { token });
      expect(statement.lines[0]).toMatchObject({ currency: 'BRL', messages: 1n, parts: 1n });
    } finally {
      await bus.close();
    }
  });
});

describe('invoices', () => {
  const runCli = (args: string[]) => p.runCli('acme', args);

  it('invoices the month exactly as posted, finalizes it with a number and corrects it with a credit note', async () => {
    const period = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Sao_Paulo', year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7);
    const { invoice: draft } = await p.call(p.clients.billing, p.clients.billing.draftInvoice, { period, accountId: '' }, { token });
    const [{ posted }] = await sql(`select coalesce(sum(amount), 0)::bigint as posted from billing.transfers where tenant_id = 'acme' and kind = 'post_pending'`);
    expect(draft!.total).toBe(BigInt(posted));
    expect(draft!.lines.reduce((s, l) => s + l.amount, 0n)).toBe(draft!.total);

    const ops = await signToken(PIPELINE_SECRET, { kind: 'service', service: 'ops-cli' });
    await expect(p.call(p.clients.billing, p.clients.billing.finalizeInvoice, { invoiceId: draft!.id }, { token })).rejects.toMatchObject({ code: 7 });
    const { invoice: final } = await p.call(p.clients.billing, p.clients.billing.finalizeInvoice, { invoiceId: draft!.id }, { token: ops });
    expect(final).toMatchObject({ status: 'finalized', number: 1, total: draft!.total });
    await p.call(p.clients.billing, p.clients.billing.issueCreditNote, { invoiceId: final!.id, amount: 5n, reason: 'goodwill' }, { token: ops });
    const { invoice: after } = await p.call(p.clients.billing, p.clients.billing.getInvoice, { invoiceId: final!.id }, { token });
    expect(after).toMatchObject({ total: final!.total, number: 1 });
    expect(after!.creditNotes.map((n) => n.amount)).toEqual([5n]);

    const shown = await runCli(['billing', 'invoice', '--period', period]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/invoice nº 1/);
    expect(shown.stdout).toMatch(/credit note .*goodwill/);
    const csv = await runCli(['billing', 'invoice', '--period', period, '--csv']);
    expect(csv.stdout.split('\n')[0]).toBe('invoice,number,period,status,subaccount_id,channel,country,parts,amount,currency');
  }, 60_000);
});

describe('reconciliation', () => {
  const runCli = (args: string[]) => p.runCli('acme', args);
  const period = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Sao_Paulo', year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7);

  it('finds nothing wrong after everything above, message by message', async () => {
    const clean = await runCli(['billing', 'reconcile', '--period', period]);
    expect(clean.stdout).toMatch(/^0 discrepancies — \d+ transfers and \d+ messages checked/m);
    expect(clean.code).toBe(0);
  }, 60_000);

  it('prints each discrepancy and fails when the ledger disagrees with itself', async () => {
    await sql(`update billing.accounts set debits_posted = debits_posted + 1 where id = 'customer:acme:BRL'`);
    try {
      const dirty = await runCli(['billing', 'reconcile', '--period', period]);
      expect(dirty.stdout).toMatch(/balance_mismatch\s+customer:acme:BRL\s+debits_posted is \d+; its transfers sum to \d+/);
      expect(dirty.stdout).toMatch(/^1 discrepancies/m);
      expect(dirty.code).toBe(1);
    } finally {
      await sql(`update billing.accounts set debits_posted = debits_posted - 1 where id = 'customer:acme:BRL'`);
    }
  }, 60_000);
});

describe('credit', () => {
  it('gives one of two concurrent sends that together exceed the credit a 201, shown at the second level', async () => {
    const admin = await p.tokenFor('credit-co');
    await p.call(p.clients.billing, p.clients.billing.topUp, { accountId: '', amount: 5n, idempotencyKey: 'first' }, { token: admin }); // one part's worth
    const outcomes = await Promise.allSettled([
      p.sendSms(admin, { to: '+5511987658001' }),
      p.sendSms(admin, { to: '+5511987658002' }),
    ]);
    const refused = outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason as { code: number; details: string; metadata: { get(k: string): unknown[] } });
    expect(refused).toHaveLength(1);
    expect(refused[0]!.code).toBe(8); // RESOURCE_EXHAUSTED
    expect(refused[0]!.details).toMatch(/not enough credit \(201\)/);
    const { messageId } = JSON.parse(String(refused[0]!.metadata.get('sabia-error-details')[0])) as { messageId: string };
    const status = await waitFor(async () => {
      const { status: s } = await p.call(p.clients.status, p.clients.status.getStatus, { messageId }, { token: admin });
      return s?.deliveredStatus ? s : undefined;
    }, 'both levels of the refusal');
    expect([status.sentStatus, status.deliveredStatus]).toEqual([SentStatus.SENT_STATUS_CUSTOMER_QUOTA_BLOCKED, DeliveredStatus.DELIVERED_STATUS_NOT_DELIVERED_NO_CREDIT]);
    const balance = await p.call(p.clients.billing, p.clients.billing.getBalance, {}, { token: admin });
    expect(balance.available).toBe(0n);
  });
});
