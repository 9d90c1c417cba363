import type postgres from "postgres";
import type { RawAggregate } from "./digest.js";
import type { DigestMetric } from "./digest.types.js";
import type { PeriodRange } from "./period.js";

/**
 * The SQL side of the digest: aggregates per metric for one account, the peer group's values and
 * the weekly series. Each is one statement over the (account_id, event, occurred_at) index; the
 * logic that turns them into facts is pure (digest.ts).
 */

type Params = unknown[];

// sql.unsafe sends parameters untyped: instants go as ISO text and the query casts them.
const iso = (date: Date) => date.toISOString();

/** The aggregate expression for one metric, restricted by `filter` (a SQL condition). */
function aggregateSql(metric: DigestMetric, params: Params, filter: string): string {
  params.push(metric.event);
  const where = `event = $${params.length} and ${filter}`;
  switch (metric.aggregation) {
    case "count":
      return `count(*) filter (where ${where})`;
    case "sum":
      return `coalesce(sum(quantity) filter (where ${where}), 0)`;
    case "max":
      return `coalesce(max(quantity) filter (where ${where}), 0)`;
    case "average":
      return `coalesce(avg(quantity) filter (where ${where}), 0)`;
    case "distinct":
      params.push(metric.distinctProperty ?? "");
      return `count(distinct properties->>$${params.length}) filter (where ${where})`;
  }
}

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
  ];
  params.push(sql.array([...new Set(input.metrics.map((metric) => metric.event))]));
  const eventsParam = params.length;
  const columns = input.metrics.flatMap((metric, index) => [
    `${aggregateSql(metric, params, "occurred_at >= $3::timestamptz")}::float8 as c${index}`,
    `${aggregateSql(metric, params, "occurred_at < $3::timestamptz")}::float8 as p${index}`,
  ]);
  const [row] = await sql.unsafe(
    `select
       count(*) filter (where occurred_at >= $3::timestamptz)::int as events,
       count(distinct (occurred_at at time zone $5)::date) filter (where occurred_at >= $3::timestamptz)::int as active_days,
       count(*) filter (where occurred_at < $3::timestamptz)::int as previous_events
       ${columns.length ? `, ${columns.join(", ")}` : ""}
     from usage_events
     where account_id = $1 and event = any($${eventsParam}::text[])
       and occurred_at >= $2::timestamptz and occurred_at < $4::timestamptz`,
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
  const params: Params = [input.tenantId, input.segment, iso(input.period.start), iso(input.period.end)];
  params.push(sql.array([...new Set(input.metrics.map((metric) => metric.event))]));
  const eventsParam = params.length;
  const columns = input.metrics.map((metric, index) => `${aggregateSql(metric, params, "true")}::float8 as m${index}`);
  const rows = await sql.unsafe(
    `select e.account_id ${columns.length ? `, ${columns.join(", ")}` : ""}
     from usage_events e
     join accounts a on a.id = e.account_id
     where a.tenant_id = $1 and a.segment = $2 and e.tenant_id = $1
       and e.event = any($${eventsParam}::text[]) and e.occurred_at >= $3::timestamptz and e.occurred_at < $4::timestamptz
     group by e.account_id`,
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

/** Weekly raw aggregates of one metric over the period, weeks starting Monday in the account's zone. */
export async function weeklySeries(
  sql: postgres.Sql,
  input: { accountId: string; metric: DigestMetric; period: PeriodRange },
): Promise<{ week: string; raw: number }[]> {
  const params: Params = [input.accountId, iso(input.period.start), iso(input.period.end), input.period.timeZone];
  const aggregate = aggregateSql(input.metric, params, "true");
  const rows = await sql.unsafe(
    `select to_char(date_trunc('week', occurred_at at time zone $4), 'YYYY-MM-DD') as week, ${aggregate}::float8 as raw
     from usage_events
     where account_id = $1 and event = $5 and occurred_at >= $2::timestamptz and occurred_at < $3::timestamptz
     group by 1 order by 1`,
    params as postgres.ParameterOrJSON<never>[],
  );
  return rows.map((row) => ({ week: String(row.week), raw: Number(row.raw) }));
}
