// Parses the SMPP 3.4 Appendix B delivery receipt text:
//   id:IIIIIIIIII sub:SSS dlvrd:DDD submit date:YYMMDDhhmm done date:YYMMDDhhmm stat:DDDDDDD err:E text:...
// Carriers differ in widths, case and optional fields, so each field is found on its own
// (case-insensitive) instead of one rigid pattern; `text:` is last and may contain anything.

export interface ParsedReceipt {
  id: string;
  stat: string;
  err: string;
  submitDate?: Date;
  doneDate?: Date;
}

const field = (text: string, name: string) =>
  new RegExp(`(?:^|\\s)${name}:(\\S+)`, 'i').exec(text.split(/\stext:/i)[0] ?? '')?.[1];

/** YYMMDDhhmm[ss], read as UTC (the simulator writes UTC; real carriers' zones vary). */
export function parseReceiptDate(value: string | undefined): Date | undefined {
  const m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?$/.exec(value ?? '');
  if (!m) return undefined;
  const [yy, mo, dd, hh, mi, ss] = m.slice(1).map((part) => Number(part ?? 0));
  return new Date(Date.UTC(2000 + yy!, mo! - 1, dd!, hh!, mi!, ss!));
}

export function parseReceipt(text: string): ParsedReceipt | undefined {
  const id = field(text, 'id');
  const stat = field(text, 'stat');
  if (!id || !stat) return undefined;
  const dates = /submit date:(\d{10,12})\s+done date:(\d{10,12})/i.exec(text);
  return {
    id,
    stat: stat.toUpperCase(),
    err: field(text, 'err') ?? '000',
    submitDate: parseReceiptDate(dates?.[1]),
    doneDate: parseReceiptDate(dates?.[2]),
  };
}
