import { connectDb, migrateSchema, type Database } from '@sabia/db';
import { createTestDatabase } from './test-database';

/** A fresh database with one service's migrations applied, for that service's integration tests. */
export async function migratedDatabase(schema: string, migrationsFolder: string, poolSize = 10) {
  const testDb = await createTestDatabase();
  const database: Database = connectDb(testDb.url, { max: poolSize });
  await migrateSchema(database.pool, schema, migrationsFolder);
  return {
    ...database,
    url: testDb.url,
    async drop() {
      await database.close();
      await testDb.drop();
    },
  };
}
