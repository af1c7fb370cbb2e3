import { status as grpcStatus } from '@grpc/grpc-js';
import { signToken } from '@sabia/auth';
import { incident as pb } from '@sabia/contracts';
import { connectDb, migrateSchema, type Database } from '@sabia/db';
import { callUnary, createClient, handlerKit, startGrpcServer, type RunningGrpcServer } from '@sabia/grpc-kit';
import { createTestDatabase, type TestDatabase } from '@sabia/testing';
import { eq } from 'drizzle-orm';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_COMPONENTS, ensureDefaultComponents } from './components/ensure-default-components';
import { listComponents } from './components/list-components';
import { components } from './db';
import { incidentService } from './grpc/incident-service';
import { startStatusPageServer, type StatusPageServer } from './http/status-page-server';

const logger = pino({ level: 'silent' });
const secret = 'incident-int-spec-secret-0123456789abcdef';
let testDb: TestDatabase;
let database: Database;
let http: StatusPageServer;
let grpc: RunningGrpcServer;

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = connectDb(testDb.url, { max: 4 });
  await migrateSchema(database.pool, 'incident', join(__dirname, '../drizzle'));
  http = await startStatusPageServer({ host: '127.0.0.1', port: 0, db: database.db, name: 'Sabiá', logger });
  grpc = await startGrpcServer({
    host: '127.0.0.1',
    port: 0,
    logger,
    services: [{
      name: 'sabia.incident.v1.IncidentService',
      definition: pb.IncidentServiceService,
      implementation: incidentService(database.db, handlerKit({ secret, logger })),
    }],
  });
});

afterAll(async () => {
  await http?.close();
  await grpc?.shutdown();
  await database?.close();
  await testDb?.drop();
});

const get = (path: string, init?: RequestInit) => fetch(new URL(path, http.url), init);

interface SummaryJson {
  page: { name: string; url: string };
  components: { id: string; status: string; position: number }[];
  status: { indicator: string; description: string };
}

describe('incident service against Postgres', () => {
  it('seeds the default components once and never overwrites a status', async () => {
    expect(await ensureDefaultComponents(database.db)).toEqual(DEFAULT_COMPONENTS.map((c) => c.id));
    await database.db.update(components).set({ status: 'major_outage' }).where(eq(components.id, 'sms-api'));

    expect(await ensureDefaultComponents(database.db)).toEqual([]);
    const listed = await listComponents(database.db);
    expect(listed.map((c) => c.name)).toEqual([
      'SMS API', 'WhatsApp API', 'SMPP carrier connections', 'Status callbacks (webhooks)',
      'Billing', 'Human attendance (tickets)', 'Status page',
    ]);
    expect(listed.find((c) => c.id === 'sms-api')?.status).toBe('major_outage');
  });

  it('refuses a status outside Statuspage\'s five', async () => {
    const write = database.db.update(components).set({ status: 'on_fire' }).where(eq(components.id, 'billing'));
    await expect(write).rejects.toThrow();
  });

  it('serves the HTML page with the worst status and security headers', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const body = await res.text();
    expect(body).toContain('Major System Outage');
    expect(body).toContain('<span class="pill major_outage">Major outage</span>');
  });

  it('serves Statuspage summary.json and components.json', async () => {
    const summary = (await (await get('/api/v2/summary.json')).json()) as SummaryJson;
    expect(summary.status).toEqual({ indicator: 'critical', description: 'Major System Outage' });
    expect(summary.page).toMatchObject({ name: 'Sabiá', url: http.url });
    expect(summary.components).toHaveLength(7);
    expect(summary.components[0]).toMatchObject({ id: 'sms-api', status: 'major_outage', position: 1 });
    const list = await get('/api/v2/components.json?x=1');
    expect(list.headers.get('access-control-allow-origin')).toBe('*');
    expect(((await list.json()) as SummaryJson).components).toHaveLength(7);
  });

  it('answers health, unknown paths and other methods', async () => {
    expect((await get('/healthz')).status).toBe(200);
    const missing = await get('/nope');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'not found' });
    const post = await get('/', { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect((await get('/', { method: 'HEAD' })).status).toBe(200);
  });

  it('lists components over gRPC for an authenticated principal, with proto enums', async () => {
    const client = createClient(pb.IncidentServiceClient, `127.0.0.1:${grpc.port}`);
    try {
      const token = await signToken(secret, { kind: 'service', service: 'cli' });
      const res = await callUnary(client, client.listComponents, {}, { token });
      expect(res.components).toHaveLength(7);
      expect(res.components[0]).toMatchObject({ id: 'sms-api', status: pb.ComponentStatus.COMPONENT_STATUS_MAJOR_OUTAGE });
      expect(res.components[1]?.status).toBe(pb.ComponentStatus.COMPONENT_STATUS_OPERATIONAL);
      expect(res.components[0]?.updatedAt).toBeInstanceOf(Date);
      await expect(callUnary(client, client.listComponents, {}, { token: 'forged' })).rejects.toMatchObject({
        code: grpcStatus.UNAUTHENTICATED,
      });
    } finally {
      client.close();
    }
  });
});
