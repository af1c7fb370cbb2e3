export { activeTraceId, startTelemetry, type Telemetry } from './start-telemetry';
