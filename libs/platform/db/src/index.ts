export { connectDb, type Database, type Db, type DbOrTx, type Tx } from './connect';
export { eachKey } from './each-key';
export { executePrepared, preparedStatement, type ParamOrSlot, type PreparedStatement, type Slot } from './prepared';
export { migrateSchema } from './migrate';
export { uuidv7 } from './uuid-v7';
export {
  bytea,
  outboxTable,
  processedEventsTable,
  type OutboxTable,
  type ProcessedEventsTable,
} from './platform-tables';
