export { components } from './components';
export { outbox } from './outbox';
export { processedEvents } from './processed-events';
export { incident } from './schema';
