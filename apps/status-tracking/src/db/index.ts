export { messageStatus } from './message-status';
export { outbox } from './outbox';
export { partStatus } from './part-status';
export { processedEvents } from './processed-events';
export { status } from './schema';
export { statusHistory } from './status-history';
