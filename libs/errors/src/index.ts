/**
 * Typed service errors. Domain verbs throw these; each transport maps them once
 * (gRPC: toGrpcStatus in @sabia/grpc-kit). The literal `code` names the outcome, not the
 * transport, so domain code never imports gRPC. Messages are written for the person who
 * has to act on them and never carry secrets or other tenants' data.
 */
export abstract class SabiaError extends Error {
  abstract readonly code:
    | 'INVALID_ARGUMENT'
    | 'NOT_FOUND'
    | 'ALREADY_EXISTS'
    | 'FAILED_PRECONDITION'
    | 'RESOURCE_EXHAUSTED'
    | 'PERMISSION_DENIED'
    | 'UNAUTHENTICATED'
    | 'UNAVAILABLE';
  constructor(message: string, readonly details?: Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
  }
}

export class InvalidArgumentError extends SabiaError {
  readonly code = 'INVALID_ARGUMENT' as const;
}
/** Also used for another tenant's resource: its existence is not revealed. */
export class NotFoundError extends SabiaError {
  readonly code = 'NOT_FOUND' as const;
}
export class AlreadyExistsError extends SabiaError {
  readonly code = 'ALREADY_EXISTS' as const;
}
export class FailedPreconditionError extends SabiaError {
  readonly code = 'FAILED_PRECONDITION' as const;
}
export class ResourceExhaustedError extends SabiaError {
  readonly code = 'RESOURCE_EXHAUSTED' as const;
}
export class PermissionDeniedError extends SabiaError {
  readonly code = 'PERMISSION_DENIED' as const;
}
export class UnauthenticatedError extends SabiaError {
  readonly code = 'UNAUTHENTICATED' as const;
}
export class UnavailableError extends SabiaError {
  readonly code = 'UNAVAILABLE' as const;
}

/** Invariant check kept on in production (TigerBeetle style): a broken invariant stops the work. */
export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`invariant violated: ${message}`);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs; anything else is the caller's mistake, named by its field. */
export function requireUuid(value: string, field: string): string {
  if (!UUID.test(value)) throw new InvalidArgumentError(`${field} must be a UUID`, { field });
  return value;
}
