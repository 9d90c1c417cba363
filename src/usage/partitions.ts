import type postgres from "postgres";
import type { Deps } from "../deps.js";
import type { JobDefinition } from "../platform/queue/queue.js";

/**
 * usage_events is partitioned by UTC month of occurred_at (migration 0023): one table per month,
 * `usage_events_YYYY_MM`, and `usage_events_default` for any month that has none yet, so no event
 * is ever refused or lost for want of a partition. Months are created ahead by a daily job rather
 * than at insert time: DDL on the ingest path would take locks that every batch then waits on,
 * while a job that runs once a day, three months ahead, has weeks to succeed. Old months are
 * dropped whole (USAGE_RETENTION_MONTHS), which frees their space at once and leaves no dead
 * rows to vacuum, where a DELETE of the same events would do both.
 */

export const USAGE_PARTITIONS_JOB = "usage.partitions";
/** This month and the next two always exist, so a job that fails for weeks still loses nothing. */
const MONTHS_AHEAD = 2;

const monthStart = (year: number, month: number) => new Date(Date.UTC(year, month, 1));

/** The partition's name for the UTC month that `at` is in. */
export function partitionName(at: Date): string {
  return `usage_events_${at.getUTCFullYear()}_${String(at.getUTCMonth() + 1).padStart(2, "0")}`;
}

/**
 * The first instant whose events are kept: the start of the UTC month `months` before the current
 * one (so 24 months on 2026-12-06 keep December 2024 onwards). Null when retention is off.
 */
export function retentionCutoff(now: Date, months: number | null): Date | null {
  if (months === null) return null;
  return monthStart(now.getUTCFullYear(), now.getUTCMonth() - months);
}

/**
 * Creates the month's partition unless it exists. Events of that month already caught by the
 * default partition move into it in the same transaction (PostgreSQL refuses to attach a range
 * the default partition holds rows of), so nothing is lost or counted twice.
 */
export async function ensureMonthPartition(sql: postgres.Sql, at: Date): Promise<boolean> {
  const name = partitionName(at);
  const from = monthStart(at.getUTCFullYear(), at.getUTCMonth()).toISOString();
  const to = monthStart(at.getUTCFullYear(), at.getUTCMonth() + 1).toISOString();
  return sql.begin(async (tx) => {
    // One creator at a time (two processes running the job, or a test and the job).
    await tx`select pg_advisory_xact_lock(hashtext('usage_events partitions'))`;
    const [existing] = await tx`select 1 from pg_class where relname = ${name} and relkind in ('r', 'p')`;
    if (existing) return false;
    await tx.unsafe(`create table "${name}" (like usage_events including defaults)`);
    await tx.unsafe(
      `with moved as (delete from usage_events_default where occurred_at >= $1::timestamptz and occurred_at < $2::timestamptz returning *)
       insert into "${name}" select * from moved`,
      [from, to],
    );
    await tx.unsafe(`alter table usage_events attach partition "${name}" for values from ('${from}') to ('${to}')`);
    return true;
  });
}

/** This month's partition and the next MONTHS_AHEAD ones; returns the names it created. */
export async function ensurePartitionsAhead(sql: postgres.Sql, now: Date): Promise<string[]> {
  const created: string[] = [];
  for (let ahead = 0; ahead <= MONTHS_AHEAD; ahead++) {
    const month = monthStart(now.getUTCFullYear(), now.getUTCMonth() + ahead);
    if (await ensureMonthPartition(sql, month)) created.push(partitionName(month));
  }
  return created;
}

/** The monthly partitions that exist, oldest first, with the instant each one starts. */
export async function listMonthPartitions(sql: postgres.Sql): Promise<{ name: string; start: Date }[]> {
  const rows = await sql<{ name: string }[]>`
    select c.relname as name from pg_inherits i
    join pg_class c on c.oid = i.inhrelid
    join pg_class p on p.oid = i.inhparent
    where p.relname = 'usage_events' and c.relname ~ '^usage_events_[0-9]{4}_[0-9]{2}$'
    order by c.relname`;
  return rows.map((row) => {
    const [year, month] = row.name.slice("usage_events_".length).split("_").map(Number) as [number, number];
    return { name: row.name, start: monthStart(year, month - 1) };
  });
}

/**
 * Drops every monthly partition that ends on or before the cutoff, and deletes the few events
 * older than it that sit in the default partition (months that never had a partition of their
 * own). Rollups are kept: digests of those quarters still read them. Returns the dropped names.
 */
export async function dropExpiredPartitions(sql: postgres.Sql, cutoff: Date): Promise<string[]> {
  const dropped: string[] = [];
  for (const partition of await listMonthPartitions(sql)) {
    const end = monthStart(partition.start.getUTCFullYear(), partition.start.getUTCMonth() + 1);
    if (end > cutoff) continue;
    await sql.unsafe(`drop table if exists "${partition.name}"`);
    dropped.push(partition.name);
  }
  await sql`delete from usage_events_default where occurred_at < ${cutoff.toISOString()}::timestamptz`;
  return dropped;
}

/** Daily: months ahead, then retention (when set). Idempotent, so a retried run changes nothing more. */
export function usagePartitionsJob(deps: Pick<Deps, "sql" | "clock" | "config" | "log">): JobDefinition<object> {
  return {
    name: USAGE_PARTITIONS_JOB,
    queue: { retryLimit: 5, retryBackoff: true, expireInSeconds: 3600 },
    async handle() {
      const now = deps.clock.now();
      const created = await ensurePartitionsAhead(deps.sql, now);
      const cutoff = retentionCutoff(now, deps.config.usageRetentionMonths);
      const dropped = cutoff ? await dropExpiredPartitions(deps.sql, cutoff) : [];
      if (created.length > 0 || dropped.length > 0) deps.log.info({ created, dropped }, "usage partitions changed");
    },
  };
}
