import type { Logger } from '@sabia/logger';
import type smpp from 'smpp';
import type { Router } from '../routing/router';
import { SmppBind } from './smpp-bind';

/**
 * Every SMPP bind of every carrier in the carriers file (`count` binds per entry). A message's
 * parts go through one bind, in order; a new message takes its carrier's least busy bind.
 */
export class CarrierBinds {
  private readonly byCarrier = new Map<string, SmppBind[]>();

  constructor(router: Router, logger: Logger, onDeliver: (carrierId: string) => (pdu: smpp.Pdu) => Promise<void>) {
    for (const carrier of router.carriers) {
      const binds: SmppBind[] = [];
      for (const bind of carrier.binds) {
        for (let i = 0; i < bind.count; i++) {
          binds.push(new SmppBind({ bind, carrier: carrier.id, receipts: carrier.sendsReceipts, logger, onDeliver: onDeliver(carrier.id) }));
        }
      }
      this.byCarrier.set(carrier.id, binds);
    }
  }

  /** Sum of every bind's window: how many parts can be in flight at once. */
  get totalWindow(): number {
    let total = 0;
    for (const [, binds] of this.byCarrier) for (const b of binds) total += b.window;
    return total;
  }

  start(): void {
    for (const binds of this.byCarrier.values()) for (const b of binds) b.start();
  }

  /** The carrier's least busy bind; undefined for a carrier not in the file (any more). */
  bindFor(carrierId: string): SmppBind | undefined {
    const binds = this.byCarrier.get(carrierId);
    if (!binds?.length) return undefined;
    return binds.reduce((best, b) => (b.load < best.load ? b : best));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.byCarrier.values()].flat().map((b) => b.stop()));
  }
}
