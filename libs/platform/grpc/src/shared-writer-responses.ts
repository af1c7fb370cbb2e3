import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';
import type { PackageDefinition } from '@grpc/proto-loader';
import { encodeMessage, type MessageEncoder } from '@sabia/contracts';

type Described = Record<string, { path: string; responseType: { type: { name: string } } }>;

/**
 * The service's definition with each response written by the shared protobuf writer
 * (encodeMessage, which says why) instead of a fresh writer per call, as the generated
 * serializer does. A method's response codec is found in `messages`, the generated module the
 * service comes from, by the name the descriptor set gives its response type; a method whose
 * type it does not hold keeps the generated serializer.
 */
export function withSharedWriterResponses(definition: ServiceDefinition, messages: object, descriptors: PackageDefinition, serviceName: string): ServiceDefinition {
  const described = descriptors[serviceName] as Described | undefined;
  if (!described) return definition;
  const responseTypeByPath = new Map(Object.values(described).map((m) => [m.path, m.responseType.type.name]));
  const codecs = messages as Record<string, Partial<MessageEncoder<unknown>> | undefined>;
  const methods = Object.entries(definition as Record<string, MethodDefinition<unknown, unknown>>).map(([name, method]) => {
    const codec = codecs[responseTypeByPath.get(method.path) ?? ''];
    if (typeof codec?.encode !== 'function') return [name, method];
    const encoder = codec as MessageEncoder<unknown>;
    return [name, { ...method, responseSerialize: (value: unknown) => Buffer.from(encodeMessage(encoder, value)) }];
  });
  return Object.fromEntries(methods) as ServiceDefinition;
}
