import type postgres from "postgres";

export type DistinctPair = { event: string; property: string };

/**
 * The (event, property) pairs whose distinct values are collected into usage_distinct_values:
 * those that `distinct` metrics count and those that distinct-users value moments count.
 * Ingestion and the rollup rebuild both read them from here, so they always agree.
 */
export function loadDistinctPairs(sql: postgres.Sql | postgres.TransactionSql, tenantId: string) {
  return sql<DistinctPair[]>`
    select event, distinct_property as property from metric_definitions
    where tenant_id = ${tenantId} and aggregation = 'distinct' and distinct_property is not null
    union
    select event, property from moment_rules
    where tenant_id = ${tenantId} and kind = 'distinct_users' and event is not null and property is not null`;
}
