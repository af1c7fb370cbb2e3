import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { testEnv } from './env';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh database per test file: tests never see each other's rows or schemas. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `sabia_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testEnv.DATABASE_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(testEnv.DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: testEnv.DATABASE_URL });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

/** A NATS namespace per test file, so streams and consumers never collide. */
export const testNamespace = () => `t${randomBytes(5).toString('hex')}`;
