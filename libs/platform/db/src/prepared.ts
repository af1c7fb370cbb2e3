import * as drizzle from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import type { Db } from './connect';

// Bound once: through drizzle's CommonJS build every use of a named import is a getter call, and
// collect() tests each chunk of a statement against these classes. Building and collecting a
// ten-parameter statement took 9.2 µs with the imports, 4.6 µs with these.
const { Column, getTableName, Name, Param, Placeholder, SQL, StringChunk, Table } = drizzle;

const dialect = new PgDialect();
/** Per name: the compiled text, and the shape it was compiled from (see Collected). */
const compiled = new Map<string, { text: string; shape: readonly string[]; paramCount: number }>();

/** Parameters in drizzle's order, and the template's literal text and names: a different one is a different text. */
interface Collected {
  params: unknown[];
  /** Literal SQL and the names of tables, columns and identifiers, in order: the statement's shape. */
  shape: string[];
  /**
   * A known statement's shape, to compare with piece by piece instead of collecting this one's:
   * joining the pieces into one string per call was 3 of the 103 KB a SendSms allocated.
   */
  expected?: readonly string[];
  /** Pieces compared so far, and whether every one matched. */
  at: number;
  same: boolean;
}

/**
 * Runs a hot statement as a named prepared statement: Postgres parses and plans it once per
 * connection instead of on every call (for the single-send path's small batches, planning cost
 * as much as running them: pg_stat_statements with track_planning), and its text is compiled by
 * drizzle once: later calls only collect the parameters (compiling walked every chunk of the
 * template through drizzle's generic checks, a tenth of a millisecond a call).
 * The text must be the same on every call (arrays through unnest, never a parameter per row);
 * a statement whose literal text, names or parameter count differ under the same name throws.
 * Named statements live on their connection: behind a connection pooler, it must keep them
 * (PgBouncer in transaction mode needs max_prepared_statements, 1.21 or later).
 */
export async function executePrepared<R extends pg.QueryResultRow>(db: Db, name: string, query: drizzle.SQL): Promise<pg.QueryResult<R>> {
  const client = poolOf(db);
  const known = compiled.get(name);
  const collected = collect(query, { params: [], shape: [], expected: known?.shape, at: 0, same: true });
  if (known) {
    const same = collected.same && collected.at === known.shape.length && collected.params.length === known.paramCount;
    if (!same) throw new Error(`prepared statement ${name} was given a differently shaped text; name each shape of statement apart`);
    return client.query<R>({ name, text: known.text, values: collected.params });
  }
  const { sql: text, params } = dialect.sqlToQuery(query);
  if (params.length !== collected.params.length || params.some((p, i) => p !== collected.params[i])) {
    throw new Error(`prepared statement ${name}: its parameters cannot be collected without compiling it (a chunk type collect() does not know)`);
  }
  compiled.set(name, { text, shape: collected.shape, paramCount: params.length });
  return client.query<R>({ name, text, values: params });
}

/**
 * Marks where a value goes in a statement built once (preparedStatement): the value named `key`,
 * or what `pick` reads from the call's values. A pick lets a call hand over the objects it
 * already has (a row, an event) instead of one object with a property per parameter: built
 * by a loop, an object of 28 properties turned into a dictionary, 3 KB a call.
 */
export type Slot<V> = (keyOrPick: (keyof V & string) | ((values: V) => unknown)) => drizzle.Placeholder;

/** A value in a statement fragment that serves both ways: a parameter given now, or a slot filled on each call. */
export type ParamOrSlot = drizzle.Param | drizzle.Placeholder;

/** A statement compiled once: run it with this call's values. */
export type PreparedStatement<V, R extends pg.QueryResultRow> = (db: Db, values: V) => Promise<pg.QueryResult<R>>;

/**
 * A hot statement built and compiled once; each call gives only its values, by name, where
 * `slot(name)` stands in the text. executePrepared compiles once too, but its caller builds
 * the drizzle template anew for every call, and every literal piece, parameter and fragment
 * becomes an object again although only the values change: for SendSms's store, a fifth of
 * all it allocated. Values go to pg as they are (no column encoders): strings, numbers,
 * booleans, arrays of them, Buffers and null. Values written into the template itself are
 * constants, the same on every call. Named like executePrepared's statements (see there).
 */
export function preparedStatement<V extends Record<string, unknown>, R extends pg.QueryResultRow = Record<string, unknown>>(
  name: string,
  build: (slot: Slot<V>) => drizzle.SQL,
): PreparedStatement<V, R> {
  // Per parameter: what reads its value from a call's values, or the constant it always is.
  let compiledOnce: { text: string; takes: Array<{ pick: (values: V) => unknown; what: string } | { constant: unknown }> } | undefined;
  return async (db, values) => {
    if (!compiledOnce) {
      const picks: Array<(values: V) => unknown> = [];
      const slot: Slot<V> = (keyOrPick) =>
        drizzle.sql.placeholder(typeof keyOrPick === 'function' ? `${PICK}${picks.push(keyOrPick) - 1}` : keyOrPick);
      const { sql: text, params } = dialect.sqlToQuery(build(slot));
      compiledOnce = {
        text,
        takes: params.map((p, i) => {
          if (!(p instanceof Placeholder)) return { constant: p };
          if (p.name.startsWith(PICK)) return { pick: picks[Number(p.name.slice(PICK.length))]!, what: `parameter $${i + 1}` };
          const key = p.name;
          return { pick: (v: V) => v[key], what: key };
        }),
      };
    }
    const args = compiledOnce.takes.map((take) => {
      if (!('pick' in take)) return take.constant;
      const value = take.pick(values);
      if (value === undefined) throw new Error(`prepared statement ${name}: no value for ${take.what}`);
      return value;
    });
    return poolOf(db).query<R>({ name, text: compiledOnce.text, values: args });
  };
}

/** The placeholder names of picks (no key can start with a NUL). */
const PICK = '\u0000pick';

/** The pg pool under drizzle's handle: named statements go to it directly. */
const poolOf = (db: Db) => (db as Db & { $client: pg.Pool }).$client;

// drizzle keeps a table's schema under this registered symbol (its compiler reads it the same way).
const SCHEMA = Symbol.for('drizzle:Schema');
const tableName = (table: drizzle.Table) => `${(table as unknown as Record<symbol, string | undefined>)[SCHEMA] ?? ''}.${getTableName(table)}`;

/** One piece of the shape: kept on a first call, compared with the known one's after. */
function note(into: Collected, piece: string): void {
  if (!into.expected) into.shape.push(piece);
  else if (into.expected[into.at++] !== piece) into.same = false;
}

/** What drizzle's compiler would give as parameters, for the chunk types our statements use. */
function collect(chunk: unknown, into: Collected): Collected {
  if (chunk === undefined) return into;
  if (chunk instanceof StringChunk) {
    for (const piece of chunk.value) note(into, piece);
  } else if (chunk instanceof Name) {
    note(into, chunk.value);
  } else if (chunk instanceof Table) {
    note(into, tableName(chunk));
  } else if (chunk instanceof Column) {
    note(into, `${tableName(chunk.table)}.${chunk.name}`);
  } else if (chunk instanceof SQL) {
    for (const c of chunk.queryChunks) collect(c, into);
  } else if (chunk instanceof Param) {
    const mapped: unknown = chunk.value === null ? null : chunk.encoder.mapToDriverValue(chunk.value);
    if (mapped instanceof SQL) collect(mapped, into);
    else into.params.push(mapped);
  } else if (Array.isArray(chunk)) {
    note(into, `(${chunk.length})`); // drizzle writes a list as "(a, b)"
    for (const c of chunk) collect(c, into);
  } else if (typeof chunk === 'object' && chunk !== null && !(chunk instanceof Date) && !ArrayBuffer.isView(chunk)) {
    // Subqueries, views, aliases, placeholders: compiled differently; not used in prepared statements.
    throw new Error(`prepared statements do not support ${chunk.constructor?.name ?? 'this'} chunks`);
  } else {
    into.params.push(chunk);
  }
  return into;
}
