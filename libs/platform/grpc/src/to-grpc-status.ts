import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { trace } from '@opentelemetry/api';
import { SabiaError } from '@sabia/errors';
import type { Logger } from '@sabia/logger';

const CODES: Record<SabiaError['code'], status> = {
  INVALID_ARGUMENT: status.INVALID_ARGUMENT,
  NOT_FOUND: status.NOT_FOUND,
  ALREADY_EXISTS: status.ALREADY_EXISTS,
  FAILED_PRECONDITION: status.FAILED_PRECONDITION,
  RESOURCE_EXHAUSTED: status.RESOURCE_EXHAUSTED,
  PERMISSION_DENIED: status.PERMISSION_DENIED,
  UNAUTHENTICATED: status.UNAUTHENTICATED,
  UNAVAILABLE: status.UNAVAILABLE,
};

/**
 * The one mapping from thrown errors to gRPC statuses. Typed errors keep their message (it
 * was written for the caller) and details go in `sabia-error-details-bin`-free JSON metadata;
 * anything else is logged with the trace id and answered as INTERNAL without internals.
 */
export function toGrpcStatus(err: unknown, logger: Logger): Partial<ServiceError> {
  if (err instanceof SabiaError) {
    const metadata = new Metadata();
    metadata.set('sabia-error-code', err.code);
    if (err.details) metadata.set('sabia-error-details', JSON.stringify(err.details));
    return { code: CODES[err.code], details: err.message, metadata };
  }
  const traceId = trace.getActiveSpan()?.spanContext().traceId;
  logger.error({ err, traceId }, 'unexpected error in gRPC handler');
  return { code: status.INTERNAL, details: `internal error (trace ${traceId ?? 'unavailable'})` };
}
