export { messageStatus } from './message-status';
export { outbox } from './outbox';
export { processedEvents } from './processed-events';
export { status } from './schema';
export { statusHistory } from './status-history';
