import type * as grpc from '@grpc/grpc-js';
import { loadFileDescriptorSetFromBuffer } from '@grpc/proto-loader';
import { descriptorSetBase64, sending } from '@sabia/contracts';
import { describe, expect, it } from 'vitest';
import { withSharedWriterResponses } from './shared-writer-responses';

const descriptors = loadFileDescriptorSetFromBuffer(Buffer.from(descriptorSetBase64, 'base64'));
const SERVICE = 'sabia.sending.v1.SendingService';

describe('responses written with the shared protobuf writer', () => {
  const generated = sending.SendingServiceService;
  const shared = withSharedWriterResponses(generated, sending, descriptors, SERVICE);

  it('serialize every method the way the generated definition does', () => {
    const message = { id: '0193c5a0-0000-7000-8000-000000000001', accountId: 'acc-1', to: '+5511987654321', parts: 2, createdAt: new Date(Date.UTC(2026, 11, 8)) };
    const samples: Record<string, unknown> = {
      sendSms: sending.SendSmsResponse.fromPartial({ message }),
      sendBatch: sending.SendBatchResponse.fromPartial({ batchId: 'b-1', accepted: 9_999, refused: 1, results: [{ messageId: 'm-1' }, { messageId: 'm-2' }] }),
      getMessage: sending.GetMessageResponse.fromPartial({ message }),
    };
    const methods = generated as unknown as grpc.ServiceDefinition;
    for (const [method, value] of Object.entries(samples)) {
      const bytes = shared[method]!.responseSerialize(value);
      expect(bytes.length).toBeGreaterThan(20);
      expect(bytes).toEqual(methods[method]!.responseSerialize(value));
    }
    // Every method got the shared writer: the generated module holds each response type.
    for (const method of Object.keys(methods)) expect(shared[method]!.responseSerialize).not.toBe(methods[method]!.responseSerialize);
    expect(Buffer.isBuffer(shared.sendSms!.responseSerialize(samples.sendSms))).toBe(true);
  });

  it('keeps the generated serializer where the module lacks the response type, and the rest of each method as it was', () => {
    const partial = withSharedWriterResponses(generated, { SendSmsResponse: sending.SendSmsResponse }, descriptors, SERVICE);
    expect(partial.sendBatch!.responseSerialize).toBe(generated.sendBatch.responseSerialize);
    expect(partial.sendSms!.responseSerialize).not.toBe(generated.sendSms.responseSerialize);
    expect(partial.sendSms!.path).toBe(generated.sendSms.path);
    expect(partial.sendSms!.requestDeserialize).toBe(generated.sendSms.requestDeserialize);
    expect(withSharedWriterResponses(generated, sending, descriptors, 'sabia.nothing.v1.Missing')).toBe(generated);
  });
});
