import { callServerStream, callUnary } from '@sabia/grpc-kit';
import { deliveredStatusName, sentStatusName } from '@sabia/status-codes';
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { paint } from '../paint';
import type { Session } from '../session';
import { zonedMidnight } from '../zoned-midnight';

export const usage = 'sabia report --from YYYY-MM-DD --to YYYY-MM-DD [--subaccount S] [--carrier C] [--tz Zone] [--csv [--out file.csv]]';

/**
 * The consolidated report for a period (days in the customer's time zone, --to inclusive) as a
 * table, or with --csv the detailed report, streamed to stdout or a file with progress.
 */
export async function run(session: Session, argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      from: { type: 'string' }, to: { type: 'string' }, subaccount: { type: 'string', default: '' }, carrier: { type: 'string', default: '' },
      tz: { type: 'string', default: 'America/Sao_Paulo' }, csv: { type: 'boolean', default: false }, out: { type: 'string' },
    },
  });
  if (!values.from || !values.to) throw new Error(`usage: ${usage}`);
  const start = zonedMidnight(values.from, values.tz);
  const end = zonedMidnight(values.to, values.tz, 1);
  const filter = {
    subaccountId: values.subaccount, periodStart: start, periodEnd: end, sentStatus: 0, deliveredStatus: 0, correlationId: '', destination: '', carrier: values.carrier,
  };
  if (values.csv) return exportCsv(session, filter, values.out);

  const report = await callUnary(session.status, session.status.getReport, { filter, timeZone: values.tz }, { token: session.token, deadlineMs: 60_000 });
  console.log(paint.bold(`Messages from ${values.from} to ${values.to} (${values.tz})`));
  const header = ['day', 'subaccount', 'carrier', 'sent_status', 'delivered_status', 'messages', 'parts'];
  const rows = report.rows.map((r) => [
    r.day, r.subaccountId, r.carrier || '—', `${r.sentStatus} ${sentStatusName(r.sentStatus)}`,
    r.deliveredStatus ? `${r.deliveredStatus} ${deliveredStatusName(r.deliveredStatus)}` : '—', String(r.messages), String(r.parts),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 5 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  console.log(paint.dim(line(header)));
  for (const r of rows) console.log(line(r));
  if (rows.length === 0) console.log(paint.dim('  no messages in this period'));
  const sent = report.rows.filter((r) => r.sentStatus === 2).reduce((n, r) => n + r.messages, 0n);
  const delivered = report.rows.filter((r) => r.deliveredStatus === 4).reduce((n, r) => n + r.messages, 0n);
  console.log(paint.bold(`total ${report.totalMessages} messages, ${report.totalParts} parts; ${sent} accepted by carriers` + (sent ? `, ${((Number(delivered) / Number(sent)) * 100).toFixed(1)}% of them delivered` : '')));
}

async function exportCsv(session: Session, filter: Parameters<typeof session.status.exportMessages>[0]['filter'], out: string | undefined): Promise<void> {
  const sink: NodeJS.WritableStream = out ? createWriteStream(out) : process.stdout;
  const showProgress = process.stderr.isTTY;
  let lines = 0;
  let bytes = 0;
  for await (const chunk of callServerStream(session.status, session.status.exportMessages, { filter }, { token: session.token })) {
    if (!sink.write(chunk.csv)) await new Promise<void>((resolve) => sink.once('drain', () => resolve()));
    bytes += chunk.csv.length;
    for (const b of chunk.csv) if (b === 0x0a) lines++;
    if (showProgress) process.stderr.write(`\r  ${lines - 1} rows, ${(bytes / 1024).toFixed(0)} KiB…`);
  }
  if (out) await new Promise<void>((resolve) => sink.end(() => resolve()));
  process.stderr.write(`${showProgress ? '\r' : ''}  ${Math.max(0, lines - 1)} rows exported${out ? ` to ${out}` : ''}\n`);
}
