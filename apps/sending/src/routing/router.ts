import type { Carrier, CarrierConfig } from './carrier-config';

interface CompiledRange {
  pattern: RegExp;
  /** Fixed digits, then length: "553499" beats "55xx99", which beats "55". */
  specificity: [number, number];
  carrier: Carrier;
}

export interface Router {
  /** The carrier for an E.164 number: a ported number goes to the carrier it moved to. */
  route(e164: string, portedTo?: string): Carrier | undefined;
  carrier(id: string): Carrier | undefined;
  carriers: readonly Carrier[];
}

/**
 * Compiles the ranges once (the hot path runs for every recipient). Brazilian numbers follow
 * the ranges; any other country goes to the international carrier when there is one. No match
 * means no route: the message is refused with 214 before anything is reserved.
 */
export function createRouter(config: CarrierConfig): Router {
  const byId = new Map(config.carriers.map((c) => [c.id, c]));
  const ranges: CompiledRange[] = config.ranges
    .map((r) => ({
      pattern: new RegExp(`^${r.prefix.replaceAll('x', '\\d')}`),
      specificity: [r.prefix.replaceAll('x', '').length, r.prefix.length] as [number, number],
      carrier: byId.get(r.carrier)!,
    }))
    .sort((a, b) => b.specificity[0] - a.specificity[0] || b.specificity[1] - a.specificity[1]);
  const international = config.international ? byId.get(config.international) : undefined;
  return {
    carriers: config.carriers,
    carrier: (id) => byId.get(id),
    route(e164, portedTo) {
      if (portedTo) {
        const ported = byId.get(portedTo);
        if (ported) return ported;
      }
      const digits = e164.replace(/^\+/, '');
      if (!digits.startsWith('55')) return international;
      return ranges.find((r) => r.pattern.test(digits))?.carrier;
    },
  };
}
