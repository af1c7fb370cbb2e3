/** Quota months are São Paulo calendar months: a customer's "November" is theirs, not UTC's. */
const MONTH = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Sao_Paulo', year: 'numeric', month: '2-digit' });

export const quotaPeriod = (at: Date): string => MONTH.format(at).slice(0, 7); // YYYY-MM

export const quotaAccountId = (tenantId: string, period: string) => `quota:${tenantId}:${period}`;
