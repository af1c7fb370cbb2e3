import type { Db } from '@sabia/db';
import { recordReceipts, type IncomingReceipt, type ReceiptOutcome } from './record-receipt';

const MAX_BATCH = 200;
const MAX_WAIT_MS = 2;

/**
 * Gathers receipts from every bind for a couple of milliseconds and records them in one
 * transaction. Each caller's promise settles when its batch commits (or fails), and only then
 * is the deliver_sm answered, so an SMSC redelivers anything we did not keep.
 */
export class ReceiptBatcher {
  private waiting: Array<{ receipt: IncomingReceipt; resolve(o: ReceiptOutcome): void; reject(e: unknown): void }> = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly db: Db) {}

  add(receipt: IncomingReceipt): Promise<ReceiptOutcome> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ receipt, resolve, reject });
      if (this.waiting.length >= MAX_BATCH) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), MAX_WAIT_MS);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.waiting.splice(0, MAX_BATCH);
    if (batch.length === 0) return;
    recordReceipts(this.db, batch.map((b) => b.receipt)).then(
      (outcomes) => batch.forEach((b, i) => b.resolve(outcomes[i]!)),
      (err) => batch.forEach((b) => b.reject(err)),
    );
    if (this.waiting.length > 0) this.timer = setTimeout(() => this.flush(), MAX_WAIT_MS);
  }
}
