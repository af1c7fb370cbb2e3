import type { Db } from '@sabia/db';
import { MicroBatcher } from '@sabia/runtime';
import { recordReceipts, type IncomingReceipt, type ReceiptOutcome } from './record-receipt';
import type { UnrecordedSubmissions } from './unrecorded-submissions';

/**
 * Gathers receipts from every bind for a couple of milliseconds and records them in one
 * transaction. Each caller's promise settles when its batch commits (or fails), and only then
 * is the deliver_sm answered, so an SMSC redelivers anything we did not keep. A batch first
 * waits for this process's recording of the submits it names (they are usually being recorded
 * when a fast carrier's receipt arrives).
 */
export class ReceiptBatcher extends MicroBatcher<IncomingReceipt, ReceiptOutcome> {
  constructor(db: Db, unrecorded?: UnrecordedSubmissions) {
    super(
      async (receipts) => {
        await unrecorded?.recorded(receipts);
        return recordReceipts(db, receipts);
      },
      { maxBatch: 200, maxWaitMs: 2 },
    );
  }
}
