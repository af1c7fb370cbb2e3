export { runService, type ServiceDeps, type Stoppable } from './run-service';
