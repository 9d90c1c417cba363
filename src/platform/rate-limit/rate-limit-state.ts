import type postgres from "postgres";
import type { Policy } from "./gcra.js";

export type Counted = { allowed: boolean; tatUs: number; nowUs: number };

/**
 * Counts one request against `key` in one statement, on PostgreSQL's clock so every instance
 * agrees. The upsert moves the tat only when the request passes; a refused request leaves the row
 * as it was, so hammering does not push the key's recovery further out. Either way the answer
 * carries the tat (new or current) and the database's now, in microseconds since the epoch.
 */
export async function countRequest(sql: postgres.Sql, key: string, policy: Policy): Promise<Counted> {
  const interval = sql`(${policy.intervalUs}::float8 * interval '1 microsecond')`;
  const tolerance = sql`(${policy.toleranceUs}::float8 * interval '1 microsecond')`;
  const [row] = await sql<{ allowed: boolean; tat_us: string; now_us: string }[]>`
    with counted as (
      insert into rate_limit_state as state (key, tat)
      values (${key}, now() + ${interval})
      on conflict (key) do update
        set tat = greatest(state.tat, now()) + ${interval}
        where greatest(state.tat, now()) + ${interval} - ${tolerance} <= now()
      returning state.tat
    )
    select
      exists (select 1 from counted) as allowed,
      (extract(epoch from coalesce(
        (select tat from counted),
        (select tat from rate_limit_state where key = ${key}),
        -- Refused on a row that another request inserted after this statement's snapshot.
        now() + ${interval}
      )) * 1000000)::bigint as tat_us,
      (extract(epoch from now()) * 1000000)::bigint as now_us
  `;
  if (!row) throw new Error("the rate-limit statement returned no row");
  return { allowed: row.allowed, tatUs: Number(row.tat_us), nowUs: Number(row.now_us) };
}

/**
 * Deletes the rows whose tat has passed: such a key has its whole burst back, exactly as if it had
 * no row, so deleting it changes no decision (a concurrent upsert simply inserts it again).
 */
export async function purgeExpiredRateLimits(sql: postgres.Sql): Promise<number> {
  const result = await sql`delete from rate_limit_state where tat < now()`;
  return result.count;
}
