export { runService, type ServiceDeps, type Stoppable } from './run-service';
export { runMain } from './run-main';
