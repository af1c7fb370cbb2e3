export { outbox } from './outbox';
export { processedEvents } from './processed-events';
export { ticketing } from './schema';
export { tickets } from './tickets';
