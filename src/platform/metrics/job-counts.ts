import type postgres from "postgres";

/** pg-boss's schema: the queue is created with its default (src/platform/queue/queue.ts). */
const PGBOSS_SCHEMA = "pgboss";
/** A scrape must answer even when the database is slow: the count gives up after this. */
const STATEMENT_TIMEOUT_MS = 2000;

export type JobCounts = {
  /** state: created or retry (ready to run now), deferred (created or retry, start time ahead), active, failed. */
  byState: { queue: string; state: string; count: number }[];
  /** Per queue with a job ready to run: how long the oldest one has been ready. */
  oldestReady: { queue: string; seconds: number }[];
};

/**
 * Counts pg-boss's jobs now, straight from its job table (its own per-queue counters are refreshed
 * only by a monitor pass, which CLI processes and tests never run). The states counted are pg-boss's
 * "live" ones, which its partial index `job_i14` (name, state, blocked, start_after) covers, so the
 * count stays an index scan however many completed jobs the table retains; completed and cancelled
 * jobs are not counted.
 */
export async function countJobs(sql: postgres.Sql): Promise<JobCounts> {
  const job = sql(`${PGBOSS_SCHEMA}.job`);
  return sql.begin(async (tx) => {
    await tx.unsafe(`set local statement_timeout = ${STATEMENT_TIMEOUT_MS}`);
    const byState = await tx<{ queue: string; state: string; count: number }[]>`
      select name as queue,
        case when state in ('created', 'retry') and start_after > now() then 'deferred' else state::text end as state,
        count(*)::int as count
      from ${job}
      where state in ('created', 'retry', 'active', 'failed')
      group by 1, 2
      order by 1, 2`;
    const oldestReady = await tx<{ queue: string; seconds: number }[]>`
      select name as queue, extract(epoch from now() - min(start_after))::float8 as seconds
      from ${job}
      where state in ('created', 'retry') and start_after <= now() and not blocked
      group by 1
      order by 1`;
    return { byState: [...byState], oldestReady: [...oldestReady] };
  });
}
