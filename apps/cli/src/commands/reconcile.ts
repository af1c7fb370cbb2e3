import { callServerStream, callUnary } from '@sabia/grpc-kit';
import type { Session } from '../session';
import { paint } from '../paint';
import { zonedMidnight } from '../zoned-midnight';

interface Found {
  kind: string;
  subject: string;
  detail: string;
}

/**
 * `sabia billing reconcile --period YYYY-MM`: the ledger's own checks (billing Reconcile), then,
 * message by message for the CLI's account, parts billed == parts with SENT_SUCCESS outside
 * incident windows (status tracking's detailed report against billing's billed parts).
 * Prints every discrepancy and the count; exits 1 when there is any.
 */
export async function reconcile(session: Session, period: string): Promise<number> {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) throw new Error(`period must be YYYY-MM, got ${period}`);
  const operator = { token: await session.operatorToken(), deadlineMs: 120_000 };
  const found: Found[] = [];
  const ledger = await callUnary(session.billing, session.billing.reconcile, { period }, operator);
  found.push(...ledger.discrepancies);

  const billed = new Map<string, { posted: number; incident: number; accountId: string }>();
  for await (const chunk of callServerStream(session.billing, session.billing.exportBilledParts, { period, accountId: session.account }, operator)) {
    for (const m of chunk.messages) billed.set(m.messageId, { posted: m.postedParts, incident: m.incidentParts, accountId: m.accountId });
  }
  const [year, month] = period.split('-').map(Number) as [number, number];
  const next = month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
  const filter = {
    subaccountId: '', periodStart: zonedMidnight(`${period}-01`, 'America/Sao_Paulo'), periodEnd: zonedMidnight(`${next}-01`, 'America/Sao_Paulo'),
    sentStatus: 0, deliveredStatus: 0, correlationId: '', destination: '', carrier: '',
  };
  let header: string[] | undefined;
  let carry = '';
  let messages = 0;
  const seen = new Set<string>();
  const check = (line: string) => {
    const cells = line.split(',');
    if (!header) return void (header = cells);
    const col = (name: string) => cells[header!.indexOf(name)] ?? '';
    const id = col('message_id');
    const parts = Number(col('parts'));
    const b = billed.get(id);
    seen.add(id);
    messages++;
    const expected = col('sent_status') === '2' ? parts - (b?.incident ?? 0) : 0;
    const posted = b?.posted ?? 0;
    if (posted !== expected) found.push({ kind: 'billed_parts', subject: id, detail: `first level ${col('sent_status')}, ${parts} parts: ${expected} should be billed, ${posted} are` });
  };
  for await (const chunk of callServerStream(session.status, session.status.exportMessages, { filter }, { token: session.token })) {
    const text = carry + Buffer.from(chunk.csv).toString('utf8');
    const lines = text.split('\r\n');
    carry = lines.pop()!;
    lines.filter(Boolean).forEach(check);
  }
  if (carry) check(carry);
  for (const [id, b] of billed) {
    if (!seen.has(id) && b.posted > 0) {
      found.push({ kind: 'billed_without_status', subject: id, detail: `${b.posted} parts billed; no first level in ${period} (answered in another month?)` });
    }
  }

  for (const f of found) console.log(`  ${paint.red(f.kind.padEnd(22))} ${f.subject}  ${f.detail}`);
  const summary = `${found.length} discrepancies — ${ledger.transfersChecked} transfers and ${messages} messages checked for ${period}`;
  console.log(found.length ? paint.red(summary) : paint.green(summary));
  return found.length ? 1 : 0;
}
