export { runService, type ServiceDeps, type Stoppable } from './run-service';
export { runMain } from './run-main';
export { MicroBatcher } from './micro-batcher';
export { TtlCache } from './ttl-cache';
export { SERVICE_NODE_FLAGS } from './node-flags';
export { startSweeper } from './sweeper';
