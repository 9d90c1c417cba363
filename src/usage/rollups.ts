import type { Deps } from "../deps.js";
import type { JobDefinition } from "../platform/queue/queue.js";
import { loadDistinctPairs } from "./distinct-pairs.js";
import { retentionCutoff } from "./partitions.js";

export const ROLLUP_REBUILD_JOB = "usage.rebuild-rollups";

/**
 * Recomputes a tenant's rollups from its raw events: after a `distinct` metric or a distinct-users
 * rule is added (their values were not collected before), or after events were loaded around the API.
 * The (event, property) pairs must match what ingestion collects (ingestion.ts).
 * Runs in one transaction, so the digest never sees a half-built rollup.
 */
export async function rebuildRollups(deps: Pick<Deps, "sql" | "clock" | "config">, tenantId: string): Promise<void> {
  // Rollups of months whose events retention dropped are all that is left of them: kept as they are.
  const cutoff = retentionCutoff(deps.clock.now(), deps.config.usageRetentionMonths);
  const since = (cutoff ?? new Date(0)).toISOString();
  const sinceDay = since.slice(0, 10);
  await deps.sql.begin(async (tx) => {
    const pairs = await loadDistinctPairs(tx, tenantId);
    const accountsOfTenant = tx`select id from accounts where tenant_id = ${tenantId}`;
    await tx`delete from usage_rollups where tenant_id = ${tenantId} and bucket >= ${since}::timestamptz`;
    await tx`delete from usage_distinct_values where account_id in (${accountsOfTenant}) and bucket >= ${since}::timestamptz`;
    await tx`delete from usage_daily_distinct_values where account_id in (${accountsOfTenant}) and day >= ${sinceDay}::date`;
    await tx`
      insert into usage_rollups (account_id, event, bucket, tenant_id, count, sum, max)
      select account_id, event, to_timestamp(floor(extract(epoch from occurred_at) / 900) * 900), tenant_id,
             count(*), sum(quantity), max(quantity)
      from usage_events where tenant_id = ${tenantId} and occurred_at >= ${since}::timestamptz
      group by account_id, event, 3, tenant_id`;
    await tx`
      insert into usage_distinct_values (account_id, event, property, bucket, value)
      select distinct e.account_id, e.event, d.property,
             to_timestamp(floor(extract(epoch from e.occurred_at) / 900) * 900), e.properties->>d.property
      from usage_events e
      join unnest(${tx.array(pairs.map((pair) => pair.event))}::text[], ${tx.array(pairs.map((pair) => pair.property))}::text[])
        as d(event, property) on d.event = e.event
      where e.tenant_id = ${tenantId} and e.occurred_at >= ${since}::timestamptz and e.properties->>d.property is not null`;
    await tx`
      insert into usage_daily_distinct_values (account_id, event, property, day, value)
      select distinct account_id, event, property, (bucket at time zone 'UTC')::date, value
      from usage_distinct_values
      where account_id in (${accountsOfTenant}) and bucket >= ${since}::timestamptz`;
  });
}

/** Rebuilds are per tenant; a singleton key keeps two from running side by side. */
export function rollupRebuildJob(deps: Pick<Deps, "sql" | "clock" | "config">): JobDefinition<{ tenantId: string }> {
  return {
    name: ROLLUP_REBUILD_JOB,
    queue: { retryLimit: 3, retryBackoff: true, expireInSeconds: 3600 },
    async handle({ tenantId }) {
      await rebuildRollups(deps, tenantId);
    },
  };
}
