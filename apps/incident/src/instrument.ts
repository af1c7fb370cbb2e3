// First import of main.ts: instrumentation must patch grpc-js, pg and http before they load.
import { startTelemetry } from '@sabia/telemetry';

export const telemetry = startTelemetry('incident');
