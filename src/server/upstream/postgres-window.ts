import type { Postgres } from '../db/postgres.ts';
import type { SharedWindow } from './budget.ts';

// The budget's window in PostgreSQL (the desk schema's `upstream_budget`), shared by every
// server that sends the same tenant: one statement per request, a row lock held for the
// length of that statement, the database's clock (the servers' clocks need not agree).

export function postgresWindow(db: Postgres, name: string, windowMs = 1000): SharedWindow {
  return {
    async take(limit) {
      const { rows } = await db.pool.query<{ wait: number }>({
        name: 'upstream-budget-take',
        text: 'SELECT upstream_budget_take($1, $2, $3) AS wait',
        values: [name, limit, windowMs],
      });
      return rows[0]!.wait;
    },
    async pause(ms) {
      await db.pool.query('SELECT upstream_budget_pause($1, $2)', [name, Math.ceil(ms)]);
    },
  };
}
