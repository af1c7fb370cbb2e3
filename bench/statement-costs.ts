import type pg from 'pg';

interface StatementRow {
  calls: string;
  exec_ms: number;
  plan_ms: number;
  query: string;
}

/**
 * Which statements a benchmark's Postgres time went to, when the server loads
 * pg_stat_statements (`shared_preload_libraries`; `pg_stat_statements.track_planning = on` adds
 * planning time): calls, execution and planning time per unit of work for the top statements
 * of the benchmark's own database. Times are wall clock inside Postgres, so a loaded machine
 * inflates them all; compare statements with each other, not runs. Without the module it says
 * how to get it and the benchmark goes on.
 */
export async function startStatementCosts(db: pg.Pool) {
  const thisDb = '(select oid from pg_database where datname = current_database())';
  const reset = `select pg_stat_statements_reset(0, ${thisDb}, 0)`;
  let available = true;
  try {
    await db.query('create extension if not exists pg_stat_statements');
    await db.query(reset);
  } catch {
    available = false;
  }
  return {
    /** Whether the server has pg_stat_statements loaded (without it, the table is one line saying how to load it). */
    available,
    /** Starts counting again, for a benchmark's next phase. */
    async reset(): Promise<void> {
      if (available) await db.query(reset);
    },
    /** The table as lines, read now (print them later: a reset for the next phase does not change them). */
    async lines(units: number, unit: string, top = 6): Promise<string[]> {
      if (!available) return ['', '  Postgres time per statement: load pg_stat_statements in the server (shared_preload_libraries) to see it here'];
      const { rows } = await db.query<StatementRow>(`
        select calls::text, total_exec_time as exec_ms, total_plan_time as plan_ms, query
        from pg_stat_statements where dbid = ${thisDb} and query not like '%pg_stat_statements%'
        order by total_exec_time + total_plan_time desc limit ${Number(top)}`);
      const us = (ms: number) => `${((ms * 1000) / units).toFixed(1)} µs`;
      return [
        '',
        `  Postgres time per ${unit} by statement (wall clock inside Postgres: execution + planning, calls)`,
        ...rows.map((r) => {
          const text = r.query.replace(/\s+/g, ' ').trim().slice(0, 72);
          return `    ${us(r.exec_ms).padStart(10)} + ${us(r.plan_ms).padStart(9)}  ${(Number(r.calls) / units).toFixed(3).padStart(7)}  ${text}`;
        }),
      ];
    },
    async print(units: number, unit: string, top = 6): Promise<void> {
      for (const line of await this.lines(units, unit, top)) console.log(line);
    },
  };
}
