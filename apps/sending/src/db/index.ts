export { blockedNumbers } from './blocked-numbers';
export { customerSettings } from './customer-settings';
export { earlyReceipts } from './early-receipts';
export { messages } from './messages';
export { optOuts } from './opt-outs';
export { outbox } from './outbox';
export { processedEvents } from './processed-events';
export { sending } from './schema';
