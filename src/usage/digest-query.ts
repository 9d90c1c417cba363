import type postgres from "postgres";
import type { RawAggregate } from "./digest.js";
import type { DigestMetric } from "./digest.types.js";
import type { PeriodRange } from "./period.js";

/**
 * The SQL side of the digest, over the 15-minute rollups that ingestion maintains (see
 * usage.schema.ts): aggregates per metric for one account, the peer group's values and the
 * weekly series. Cost depends on the length of the period, not on the number of events.
 */

type Params = unknown[];

// sql.unsafe sends parameters untyped: instants go as ISO text and the query casts them.
const iso = (date: Date) => date.toISOString();

/**
 * The aggregate of one metric over rollup rows (aliased `r`) that satisfy `window`. `distinct`
 * counts values for the same account and window (distinctCountSql).
 */
function aggregateSql(metric: DigestMetric, params: Params, window: { from: string; to: string }): string {
  params.push(metric.event);
  const event = `$${params.length}`;
  const where = `r.event = ${event} and r.bucket >= ${window.from} and r.bucket < ${window.to}`;
  switch (metric.aggregation) {
    case "count":
      return `coalesce(sum(r.count) filter (where ${where}), 0)`;
    case "sum":
      return `coalesce(sum(r.sum) filter (where ${where}), 0)`;
    case "max":
      return `coalesce(max(r.max) filter (where ${where}), 0)`;
    case "average":
      return `coalesce(sum(r.sum) filter (where ${where}) / nullif(sum(r.count) filter (where ${where}), 0), 0)`;
    case "distinct":
      params.push(metric.distinctProperty ?? "");
      return distinctCountSql("r.account_id", event, `$${params.length}`, window);
  }
}

/**
 * The number of distinct values of a property in [from, to) (SQL expressions): whole UTC days
 * from the daily table, the partial days at either edge (a quarter starts at the account's
 * midnight, rarely UTC's) from the 15-minute one. The daily table holds at most one row per value
 * and day however many events there were, so this grows with the days, not with the events. The
 * edge ranges may overlap for a window shorter than a day; counting distinct values makes that harmless.
 */
function distinctCountSql(account: string, event: string, property: string, window: { from: string; to: string }) {
  const firstWholeDay = `((${window.from} at time zone 'UTC') + interval '1 day' - interval '1 microsecond')::date`;
  const endDay = `(${window.to} at time zone 'UTC')::date`;
  return `(select count(distinct v.value) from (
             select d.value from usage_daily_distinct_values d
             where d.account_id = ${account} and d.event = ${event} and d.property = ${property}
               and d.day >= ${firstWholeDay} and d.day < ${endDay}
             union all
             select q.value from usage_distinct_values q
             where q.account_id = ${account} and q.event = ${event} and q.property = ${property}
               and ((q.bucket >= ${window.from} and q.bucket < least(${window.to}, ${firstWholeDay}::timestamp at time zone 'UTC'))
                 or (q.bucket >= greatest(${window.from}, ${endDay}::timestamp at time zone 'UTC') and q.bucket < ${window.to}))
           ) v)`;
}

const eventsOf = (sql: postgres.Sql, metrics: DigestMetric[]) => sql.array([...new Set(metrics.map((m) => m.event))]);

export async function accountAggregates(
  sql: postgres.Sql,
  input: { accountId: string; metrics: DigestMetric[]; period: PeriodRange; previous: PeriodRange },
): Promise<{ aggregates: Map<string, RawAggregate>; activity: { events: number; activeDays: number } }> {
  const params: Params = [
    input.accountId,
    iso(input.previous.start),
    iso(input.period.start),
    iso(input.period.end),
    input.period.timeZone,
    eventsOf(sql, input.metrics),
    // The previous period may end before this one starts: a year to date compares with the same span of last year.
    iso(input.previous.end),
  ];
  const current = { from: "$3::timestamptz", to: "$4::timestamptz" };
  const previous = { from: "$2::timestamptz", to: "$7::timestamptz" };
  const columns = input.metrics.flatMap((metric, index) => [
    `${aggregateSql(metric, params, current)}::float8 as c${index}`,
    `${aggregateSql(metric, params, previous)}::float8 as p${index}`,
  ]);
  // Grouped by account so the distinct subqueries may refer to r.account_id.
  const [row] = await sql.unsafe(
    `select
       coalesce(sum(r.count) filter (where r.bucket >= $3::timestamptz), 0)::int as events,
       count(distinct (r.bucket at time zone $5)::date) filter (where r.bucket >= $3::timestamptz)::int as active_days,
       coalesce(sum(r.count) filter (where r.bucket < $7::timestamptz), 0)::int as previous_events
       ${columns.length ? `, ${columns.join(", ")}` : ""}
     from usage_rollups r
     where r.account_id = $1 and r.event = any($6::text[])
       and r.bucket >= $2::timestamptz and r.bucket < $4::timestamptz
     group by r.account_id`,
    params as postgres.ParameterOrJSON<never>[],
  );
  const aggregates = new Map<string, RawAggregate>();
  const hadPrevious = Number(row?.previous_events ?? 0) > 0;
  input.metrics.forEach((metric, index) => {
    aggregates.set(metric.key, {
      current: Number(row?.[`c${index}`] ?? 0),
      // A quarter with no events at all is "no base", not "zero": no change is claimed against it.
      previous: hadPrevious ? Number(row?.[`p${index}`] ?? 0) : null,
      source: "events",
    });
  });
  return { aggregates, activity: { events: Number(row?.events ?? 0), activeDays: Number(row?.active_days ?? 0) } };
}

/** Current-period values of every account in the segment that used any metric in the period. */
export async function peerValues(
  sql: postgres.Sql,
  input: { tenantId: string; segment: string; metrics: DigestMetric[]; period: PeriodRange },
): Promise<{ size: number; values: Map<string, number[]> }> {
  const params: Params = [
    input.tenantId,
    input.segment,
    iso(input.period.start),
    iso(input.period.end),
    eventsOf(sql, input.metrics),
  ];
  const window = { from: "$3::timestamptz", to: "$4::timestamptz" };
  const columns = input.metrics.map((metric, index) => `${aggregateSql(metric, params, window)}::float8 as m${index}`);
  const rows = await sql.unsafe(
    `select r.account_id ${columns.length ? `, ${columns.join(", ")}` : ""}
     from usage_rollups r
     where r.account_id in (select id from accounts where tenant_id = $1 and segment = $2)
       and r.tenant_id = $1 and r.event = any($5::text[]) and r.bucket >= $3::timestamptz and r.bucket < $4::timestamptz
     group by r.account_id`,
    params as postgres.ParameterOrJSON<never>[],
  );
  const values = new Map<string, number[]>();
  input.metrics.forEach((metric, index) => {
    values.set(
      metric.key,
      rows.map((row) => Number(row[`m${index}`] ?? 0)),
    );
  });
  return { size: rows.length, values };
}

/**
 * Weekly raw aggregates of one metric over the period, weeks starting Monday in the account's zone;
 * with `granularity: "month"` (the year in review), monthly ones keyed by the month's first day.
 */
export async function weeklySeries(
  sql: postgres.Sql,
  input: { accountId: string; metric: DigestMetric; period: PeriodRange; granularity?: "week" | "month" },
): Promise<{ week: string; raw: number }[]> {
  const params: Params = [input.accountId, iso(input.period.start), iso(input.period.end), input.period.timeZone];
  const unit = input.granularity === "month" ? "month" : "week";
  const week = `to_char(date_trunc('${unit}', r.bucket at time zone $4), 'YYYY-MM-DD')`;
  if (input.metric.aggregation === "distinct") {
    // Each local week of the period (clipped to it) counted like the quarter: whole days, then edges.
    const count = distinctCountSql("$1", "$5", "$6", { from: "w.from_at", to: "w.to_at" });
    const rows = await sql.unsafe(
      `select to_char(w.monday, 'YYYY-MM-DD') as week, ${count}::float8 as raw
       from (
         select monday, greatest($2::timestamptz, monday at time zone $4) as from_at,
                least($3::timestamptz, (monday + interval '7 days') at time zone $4) as to_at
         from generate_series(date_trunc('week', $2::timestamptz at time zone $4),
                              ($3::timestamptz at time zone $4) - interval '1 microsecond', interval '7 days') as monday
       ) w
       order by 1`,
      [...params, input.metric.event, input.metric.distinctProperty ?? ""] as postgres.ParameterOrJSON<never>[],
    );
    return rows.map((row) => ({ week: String(row.week), raw: Number(row.raw) }));
  }
  const aggregate = aggregateSql(input.metric, params, { from: "$2::timestamptz", to: "$3::timestamptz" });
  const rows = await sql.unsafe(
    `select ${week} as week, ${aggregate}::float8 as raw
     from usage_rollups r
     where r.account_id = $1 and r.event = $5 and r.bucket >= $2::timestamptz and r.bucket < $3::timestamptz
     group by 1 order by 1`,
    params as postgres.ParameterOrJSON<never>[],
  );
  return rows.map((row) => ({ week: String(row.week), raw: Number(row.raw) }));
}
