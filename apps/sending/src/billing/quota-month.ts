const MONTH = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Sao_Paulo', year: 'numeric', month: '2-digit' });

/**
 * The instant the São Paulo calendar month after `at` starts: billing counts quotas and invoices
 * by those months, so a reservation made ahead must be used in the month it was counted in.
 * São Paulo has kept UTC-3 all year since 2019 (billing's quota-period.ts assumes the same).
 */
export function nextQuotaMonth(at: Date): Date {
  const [year, month] = MONTH.format(at).split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month, 1, 3));
}
