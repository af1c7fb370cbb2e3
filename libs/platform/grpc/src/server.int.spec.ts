import { credentials, loadPackageDefinition, Metadata, status, type GrpcObject, type ServiceClientConstructor } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { signToken } from '@sabia/auth';
import { incident } from '@sabia/contracts';
import { InvalidArgumentError } from '@sabia/errors';
import { createLogger } from '@sabia/logger';
import { protoPath as healthProto } from 'grpc-health-check';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callUnary, createClient, handlerKit, startGrpcServer, type RunningGrpcServer } from './index';

const secret = 'k'.repeat(40);
const logger = createLogger('grpc-kit-test', 'silent');
let server: RunningGrpcServer;
let mode: 'ok' | 'invalid' | 'crash' = 'ok';

beforeAll(async () => {
  const kit = handlerKit({ secret, logger });
  server = await startGrpcServer({
    host: '127.0.0.1',
    port: 0,
    logger,
    services: [{
      name: 'sabia.incident.v1.IncidentService',
      definition: incident.IncidentServiceService,
      implementation: {
        listComponents: kit.unary(async () => {
          if (mode === 'invalid') throw new InvalidArgumentError('component id is malformed', { field: 'id' });
          if (mode === 'crash') throw new Error('database password is hunter2');
          return { components: [{ id: 'sms-api', name: 'SMS API', status: 1, updatedAt: new Date(0) }] };
        }),
      } satisfies incident.IncidentServiceServer,
    }],
  });
});

afterAll(() => server.shutdown(1_000));

const address = () => `127.0.0.1:${server.port}`;
const rawClient = (protoFile: string, pkg: string, svc: string, includeDirs: string[] = []) => {
  const def = loadPackageDefinition(loadSync(protoFile, { includeDirs, enums: String })) as GrpcObject;
  const Ctor = pkg.split('.').reduce<GrpcObject>((o, k) => o[k] as GrpcObject, def)[svc] as ServiceClientConstructor;
  return new Ctor(address(), credentials.createInsecure());
};

describe('gRPC server kit', () => {
  it('answers grpc.health.v1 for the server and for each service', async () => {
    const health = rawClient(healthProto, 'grpc.health.v1', 'Health');
    const check = (service: string) =>
      new Promise<unknown>((resolve, reject) =>
        health.Check!({ service }, (err: Error | null, res: unknown) => (err ? reject(err) : resolve(res))),
      );
    expect(await check('')).toEqual({ status: 'SERVING' });
    expect(await check('sabia.incident.v1.IncidentService')).toEqual({ status: 'SERVING' });
    health.close();
  });

  it('lists the served service through reflection, without .proto files at run time', async () => {
    const reflectionProto = join(require.resolve('@grpc/reflection'), '../../proto/grpc/reflection/v1/reflection.proto');
    const reflection = rawClient(reflectionProto, 'grpc.reflection.v1', 'ServerReflection');
    const call = reflection.ServerReflectionInfo!();
    const response = await new Promise<{ listServicesResponse: { service: Array<{ name: string }> } }>((resolve, reject) => {
      call.on('data', resolve);
      call.on('error', reject);
      call.write({ listServices: '' });
    });
    call.end();
    reflection.close();
    expect(response.listServicesResponse.service.map((s) => s.name)).toContain('sabia.incident.v1.IncidentService');
    expect(response.listServicesResponse.service.map((s) => s.name)).not.toContain('sabia.billing.v1.BillingService');
  });

  it('refuses a call without a token and maps typed errors once, hiding internals', async () => {
    const client = createClient(incident.IncidentServiceClient, address());
    const token = await signToken(secret, { kind: 'service', service: 'test' });
    const code = (p: Promise<unknown>) => p.then(() => 'OK', (e: { code: number; details: string }) => `${status[e.code]}: ${e.details}`);
    const noToken = new Promise((resolve, reject) =>
      client.listComponents({}, new Metadata(), (err, res) => (err ? reject(err) : resolve(res))),
    );
    expect(await code(noToken)).toBe('UNAUTHENTICATED: missing bearer token');
    mode = 'ok';
    expect(await callUnary(client, client.listComponents, {}, { token })).toMatchObject({ components: [{ id: 'sms-api' }] });
    mode = 'invalid';
    expect(await code(callUnary(client, client.listComponents, {}, { token }))).toBe('INVALID_ARGUMENT: component id is malformed');
    mode = 'crash';
    const crashed = await code(callUnary(client, client.listComponents, {}, { token }));
    expect(crashed).toMatch(/^INTERNAL: internal error/);
    expect(crashed).not.toContain('hunter2');
    client.close();
  });
});
