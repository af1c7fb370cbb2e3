/**
 * Midnight of a calendar day in an IANA time zone, as an instant (plus `addDays`): what a
 * person means by "from 2026-11-01" in São Paulo. Handles offsets without a date library by
 * asking Intl what the wall clock reads at the UTC guess and correcting by the difference.
 */
export function zonedMidnight(day: string, timeZone: string, addDays = 0): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) throw new Error(`expected a date as YYYY-MM-DD, got ${day}`);
  const guess = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + addDays);
  const wall = (instant: number) => {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
        .formatToParts(instant)
        .map((p) => [p.type, p.value]),
    );
    return Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  };
  const offset = wall(guess) - guess;
  return new Date(guess - offset);
}
