export { earlyReceipts } from './early-receipts';
export { messages } from './messages';
export { outbox } from './outbox';
export { processedEvents } from './processed-events';
export { sending } from './schema';
