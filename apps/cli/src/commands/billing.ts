import { callUnary } from '@sabia/grpc-kit';
import { parseArgs } from 'node:util';
import { paint } from '../paint';
import type { Session } from '../session';
import { reconcile } from './reconcile';

export const usage = 'sabia billing invoice --period YYYY-MM [--csv] | balance | quota | reconcile --period YYYY-MM';

const money = (amount: bigint, currency: string) => {
  const sign = amount < 0n ? '-' : '';
  const abs = amount < 0n ? -amount : amount;
  return `${sign}${currency} ${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
};

const csvField = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

/** The account's billing: a month's invoice (refreshed while it is a draft), the balance, the quota. */
export async function run(session: Session, argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  const auth = { token: session.token };
  if (sub === 'balance') {
    const b = await callUnary(session.billing, session.billing.getBalance, {}, auth);
    console.log(`  available  ${money(b.available, b.currency)}\n  reserved   ${money(b.pending, b.currency)}`);
    return;
  }
  if (sub === 'quota') {
    const { quota } = await callUnary(session.billing, session.billing.getQuota, {}, auth);
    if (!quota!.limited) return void console.log(`  no quota for ${quota!.period}: only credit limits sending`);
    console.log(`  ${quota!.period}: ${quota!.usedParts} used + ${quota!.pendingParts} reserved of ${quota!.monthlyParts} parts`);
    return;
  }
  if (sub === 'reconcile') {
    const { values } = parseArgs({ args: rest, options: { period: { type: 'string' } } });
    if (!values.period) throw new Error(`usage: ${usage}`);
    const discrepancies = await reconcile(session, values.period);
    if (discrepancies) process.exitCode = 1;
    return;
  }
  if (sub !== 'invoice') throw new Error(`usage: ${usage}`);
  const { values } = parseArgs({ args: rest, options: { period: { type: 'string' }, csv: { type: 'boolean', default: false } } });
  if (!values.period) throw new Error(`usage: ${usage}`);
  const listed = await callUnary(session.billing, session.billing.listInvoices, {}, auth);
  const known = listed.invoices.find((i) => i.period === values.period);
  // A finalized invoice is shown as it is; a draft (or none yet) is recomputed from the ledger.
  const invoice =
    known?.status === 'finalized'
      ? (await callUnary(session.billing, session.billing.getInvoice, { invoiceId: known.id }, auth)).invoice!
      : (await callUnary(session.billing, session.billing.draftInvoice, { period: values.period, accountId: '' }, auth)).invoice!;
  if (values.csv) {
    console.log('invoice,number,period,status,subaccount_id,channel,country,parts,amount,currency');
    for (const l of invoice.lines) {
      console.log([invoice.id, String(invoice.number || ''), invoice.period, invoice.status, l.subaccountId, l.channel, l.country, String(l.parts), String(l.amount), invoice.currency].map(csvField).join(','));
    }
    return;
  }
  const title = invoice.status === 'finalized' ? `${invoice.kind} nº ${invoice.number}` : `${invoice.kind} (draft)`;
  console.log(paint.bold(`${title} — ${invoice.accountId}, ${invoice.period}`));
  const rows = invoice.lines.map((l) => [l.subaccountId, l.channel, l.country, String(l.parts), money(l.amount, invoice.currency)]);
  const header = ['subaccount', 'channel', 'country', 'parts', 'amount'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => '  ' + cells.map((c, i) => (i >= 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  console.log(paint.dim(line(header)));
  for (const r of rows) console.log(line(r));
  if (rows.length === 0) console.log(paint.dim('  nothing billed this month'));
  console.log(paint.bold(`  total ${money(invoice.total, invoice.currency)}`));
  for (const n of invoice.creditNotes) console.log(`  credit note ${n.id}: −${money(n.amount, invoice.currency)} (${n.reason})`);
}
