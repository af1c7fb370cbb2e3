export { runService, type ServiceDeps, type Stoppable } from './run-service';
export { runMain } from './run-main';
export { MicroBatcher } from './micro-batcher';
export { TtlCache } from './ttl-cache';
