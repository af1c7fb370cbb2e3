import { carrierIdKey, type CarrierId } from './carrier-id-lock';

/**
 * The carrier ids this process has been given (submit_sm_resp) but not yet recorded: the
 * dispatcher records a batch's answers together, after its slowest message, and a fast
 * carrier's receipt often arrives before that. A receipt batch waits here for the recording of
 * the submits it names, so it finds their parts and needs no lock; otherwise it would park
 * behind the submit's per-id lock. Receipts for ids not tracked here (another replica's, or a
 * submit from before a restart) take recordReceipts' locked path, which is correct on its own:
 * this only saves the wait, so the wait is capped: a dispatch batch can take seconds (a
 * throttled bind, a slow carrier), and a receipt held that long holds its deliver_sm_resp,
 * the SMSC's window and the receipts batched with it.
 */
export class UnrecordedSubmissions {
  private readonly pending = new Map<string, Promise<void>>();

  /** Tracks one answered submit until `recorded` settles (committed or failed alike). */
  track(carrier: string, carrierMessageId: string, recorded: Promise<void>): void {
    const key = carrierIdKey({ carrier, carrierMessageId });
    this.pending.set(key, recorded);
    recorded
      .finally(() => {
        if (this.pending.get(key) === recorded) this.pending.delete(key);
      })
      .catch(() => undefined);
  }

  /**
   * Settles when every tracked submit among these ids is recorded (at once when none is), or
   * after `maxWaitMs`, whichever comes first.
   */
  async recorded(ids: CarrierId[], maxWaitMs = 500): Promise<void> {
    const waits = new Set<Promise<void>>();
    for (const id of ids) {
      const wait = this.pending.get(carrierIdKey(id));
      if (wait) waits.add(wait);
    }
    if (waits.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled(waits), new Promise<void>((resolve) => (timer = setTimeout(resolve, maxWaitMs)))]);
    clearTimeout(timer);
  }

  get size(): number {
    return this.pending.size;
  }
}
