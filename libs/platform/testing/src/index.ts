export { testEnv } from './env';
export { startOtlpReceiver, type ReceivedSpan } from './otlp-receiver';
export { freePort, REPO_ROOT, spawnService, waitFor, type ServiceProcess } from './service-process';
export { createTestDatabase, testNamespace, type TestDatabase } from './test-database';
export { SECRET as PIPELINE_SECRET, startPipeline, type Pipeline } from './pipeline';
export { migratedDatabase } from './migrated-database';
export { dropNamespace } from './nats-namespace';
export { preparedPlan } from './query-plan';
export { startHttpReceiver, type ReceivedRequest } from './http-receiver';
