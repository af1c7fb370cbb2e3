/** Quota months are São Paulo calendar months: a customer's "November" is theirs, not UTC's. */
const MONTH = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Sao_Paulo', year: 'numeric', month: '2-digit' });

export const quotaPeriod = (at: Date): string => MONTH.format(at).slice(0, 7); // YYYY-MM

export const quotaAccountId = (tenantId: string, period: string) => `quota:${tenantId}:${period}`;

/** The instants a São Paulo calendar month starts and ends at (for invoices and quotas). */
export function periodBounds(period: string): { start: Date; end: Date } {
  const m = /^(\d{4})-(\d{2})$/.exec(period);
  if (!m) throw new Error(`expected a period as YYYY-MM, got ${period}`);
  const [year, month] = [Number(m[1]), Number(m[2])];
  // São Paulo has kept UTC-3 all year since 2019 (no daylight saving).
  return { start: new Date(Date.UTC(year, month - 1, 1, 3)), end: new Date(Date.UTC(year, month, 1, 3)) };
}
