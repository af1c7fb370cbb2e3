export interface PriceRow {
  id: string;
  accountId: string;
  channel: string;
  country: string;
  carrier: string;
  currency: string;
  unitPrice: bigint;
  effectiveFrom: Date;
}

export interface PriceQuery {
  accountId: string;
  channel: string;
  country: string;
  carrier: string;
  currency: string;
  at: Date;
}

/**
 * The price in force for one unit. Among the rows already effective at `at`, the account's own
 * list beats the default list; then a row naming the carrier and the country beats one naming
 * the country, which beats one naming neither (a carrier without a country also counts as
 * specific); among equals, the latest effective date wins. Undefined: no row applies.
 */
export function pickPrice(rows: readonly PriceRow[], q: PriceQuery): PriceRow | undefined {
  let best: PriceRow | undefined;
  let bestRank = -1;
  for (const row of rows) {
    if (row.channel !== q.channel || row.currency !== q.currency || row.effectiveFrom > q.at) continue;
    if (row.accountId !== '' && row.accountId !== q.accountId) continue;
    if (row.country !== '' && row.country !== q.country) continue;
    if (row.carrier !== '' && row.carrier !== q.carrier) continue;
    const rank = (row.accountId ? 4 : 0) + (row.country ? 2 : 0) + (row.carrier ? 1 : 0);
    if (rank > bestRank || (rank === bestRank && row.effectiveFrom > best!.effectiveFrom)) {
      best = row;
      bestRank = rank;
    }
  }
  return best;
}
