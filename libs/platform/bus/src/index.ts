export { applyOnce } from './apply-once';
export { connectBus, type Bus } from './connect';
export { decodeEvent } from './decode-event';
export { PoisonMessageError, startConsumer, type ConsumerHandle, type IncomingEvent } from './consumer';
export { enqueueEvents, type OutgoingEvent } from './outbox';
export { startOutboxRelay, type OutboxRelay } from './outbox-relay';
export { ensureConsumer, ensureStreams } from './setup';
export { busNames, DOMAINS, SUBJECTS, type BusNames } from './subjects';
export { contextFromNatsHeaders, currentTraceHeaders } from './trace-headers';
