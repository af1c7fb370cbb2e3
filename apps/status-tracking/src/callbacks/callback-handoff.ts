import type { CallbackRow } from './callback-row';

/**
 * The callback worker of this process, taking callbacks straight from the transaction that owed
 * them (see callback-worker.ts): up to `room()` of them are written already leased to it for
 * `leaseMs`, so no claim statement has to find them again and no other replica takes them
 * meanwhile. The rest are due at once, for whichever worker claims them first. `since` is
 * performance.now() from before the statement that leased them: their lease runs from the
 * start of its transaction, a little later.
 */
export interface CallbackHandOff {
  leaseMs: number;
  room(): number;
  take(rows: CallbackRow[], since: number): void;
}
