import { Server, ServerCredentials, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { loadFileDescriptorSetFromBuffer } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { descriptorSetBase64 } from '@sabia/contracts';
import type { Logger } from '@sabia/logger';
import { HealthImplementation } from 'grpc-health-check';
import { withSharedWriterResponses } from './shared-writer-responses';

/** Largest request we accept; a batch of 10,000 recipients fits with room to spare. */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

export interface ServiceRegistration {
  definition: ServiceDefinition;
  implementation: UntypedServiceImplementation;
  /** Fully qualified name, e.g. sabia.sending.v1.SendingService (health is reported per service). */
  name: string;
  /**
   * The generated module the service comes from (e.g. `sending` of @sabia/contracts): its
   * responses are then written with one shared protobuf writer (withSharedWriterResponses).
   */
  messages?: object;
}

export interface RunningGrpcServer {
  port: number;
  /** Marks NOT_SERVING, refuses new calls, waits for in-flight calls (forces after graceMs). */
  shutdown(graceMs?: number): Promise<void>;
}

export async function startGrpcServer(opts: {
  host: string;
  port: number;
  services: ServiceRegistration[];
  logger: Logger;
}): Promise<RunningGrpcServer> {
  const server = new Server({
    // Channelz (grpc's own introspection service) is not served; its per-call counters cost CPU on every call.
    'grpc.enable_channelz': 0,
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  });
  // The descriptor set embedded in @sabia/contracts: no .proto files are read at run time.
  const descriptors = loadFileDescriptorSetFromBuffer(Buffer.from(descriptorSetBase64, 'base64'));
  const health = new HealthImplementation({ '': 'SERVING' });
  health.addToServer(server);
  for (const service of opts.services) {
    const definition = service.messages ? withSharedWriterResponses(service.definition, service.messages, descriptors, service.name) : service.definition;
    server.addService(definition, service.implementation);
    health.setStatus(service.name, 'SERVING');
  }
  // Reflection describes the services this server runs (not every Sabiá service).
  new ReflectionService(descriptors, { services: opts.services.map((s) => s.name) }).addToServer(server);

  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${opts.host}:${opts.port}`, ServerCredentials.createInsecure(), (err, bound) =>
      err ? reject(err) : resolve(bound),
    ),
  );
  opts.logger.info({ port }, 'gRPC server listening');

  return {
    port,
    shutdown: (graceMs = 10_000) =>
      new Promise<void>((resolve) => {
        health.setStatus('', 'NOT_SERVING');
        for (const service of opts.services) health.setStatus(service.name, 'NOT_SERVING');
        const force = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, graceMs);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}

