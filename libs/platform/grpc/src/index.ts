export { callServerStream, callUnary, createClient, DEFAULT_DEADLINE_MS } from './client';
export { CallCancelledError, handlerKit, type CallContext, type HandlerKit } from './handler';
export { MAX_MESSAGE_BYTES, startGrpcServer, type RunningGrpcServer, type ServiceRegistration } from './server';
export { toGrpcStatus } from './to-grpc-status';
