export { testEnv } from './env';
export { startOtlpReceiver, type ReceivedSpan } from './otlp-receiver';
export { freePort, spawnService, waitFor, type ServiceProcess } from './service-process';
export { createTestDatabase, testNamespace, type TestDatabase } from './test-database';
