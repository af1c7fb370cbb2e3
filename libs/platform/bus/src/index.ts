export { applyOnce, applyOnceMany } from './apply-once';
export { startBatchConsumer, type BatchEvent, type BatchResult } from './batch-consumer';
export { connectBus, type Bus } from './connect';
export { decodeEvent } from './decode-event';
export { PoisonMessageError, startConsumer, type ConsumerHandle, type IncomingEvent } from './consumer';
export {
  enqueueEvents,
  outboxChannel,
  outboxColumns,
  outboxInsertOneTemplate,
  outboxInsertTemplate,
  writeWithEvents,
  type OutboxColumns,
  type OutgoingEvent,
} from './outbox';
export { startOutboxRelay, type OutboxRelay } from './outbox-relay';
export { leadingLocalRelay, type LocalRelay } from './local-relay';
export { PROCESSED_EVENTS_RETENTION_MS, pruneProcessedEvents } from './prune-processed-events';
export { ensureConsumer, ensureStreams, STREAM_MAX_AGE_MS } from './setup';
export { busNames, DOMAINS, SUBJECTS, type BusNames } from './subjects';
export { contextFromNatsHeaders, currentTraceHeaders } from './trace-headers';
