import type { Deps } from "../deps.js";
import type { Tenant } from "../platform/tenancy/tenants.js";
import type { Account } from "./accounts.js";
import { buildDigest, leadMetricKey, type RawAggregate } from "./digest.js";
import type { ChartSeries, Digest, DigestMetric, SerializedPeriod } from "./digest.types.js";
import { accountAggregates, peerValues, weeklySeries } from "./digest-query.js";
import { monthlyChart } from "./monthly-chart.js";
import {
  type PeriodRange,
  previousQuarter,
  previousYearRange,
  type Quarter,
  quarterRange,
  type TrailingWindow,
  type YearRange,
  yearRange,
} from "./period.js";
import { listMetrics, metricFields } from "./value-model.js";
import { weeklyChart } from "./weekly-chart.js";

/** Re-exported where the period tests have always found it. */
export { weekStarts } from "./weekly-chart.js";

/** Totals a backend already has, in the metric's own unit (after the multiplier). */
export type InlineMetric = { key: string; value: number; previousValue?: number | null | undefined };

const serialize = (range: PeriodRange | YearRange): SerializedPeriod => ({
  label: range.label,
  start: range.start.toISOString(),
  end: range.end.toISOString(),
  timeZone: range.timeZone,
  ...("yearToDate" in range && range.yearToDate ? { yearToDate: true } : {}),
});

/** A quarter, or a year in review ("2026") that runs to `now` while the year does. */
/**
 * What a digest covers: a calendar quarter, a milestone's trailing window (which then replaces the
 * quarter), or a year (to date while it runs).
 */
export type DigestPeriod =
  | { quarter: Quarter; window?: TrailingWindow | undefined; year?: undefined }
  | { year: number; now: Date; quarter?: undefined; window?: undefined };

function rangesOf(input: DigestPeriod, timeZone: string): { period: PeriodRange; previous: PeriodRange } {
  if (input.window) return input.window;
  if (input.year === undefined)
    return {
      period: quarterRange(input.quarter, timeZone),
      previous: quarterRange(previousQuarter(input.quarter), timeZone),
    };
  const period = yearRange(input.year, timeZone, input.now);
  return { period, previous: previousYearRange(period) };
}

/** How many of each billing period make a quarter (multiplying keeps 49.99 × 3 exact enough). */
const PER_QUARTER: Record<"month" | "quarter" | "year", number> = { month: 3, quarter: 1, year: 0.25 };

export function quarterlyCost(account: Pick<Account, "subscriptionPrice" | "subscriptionPeriod">): number | null {
  if (account.subscriptionPrice == null || !account.subscriptionPeriod) return null;
  return Math.round(account.subscriptionPrice * PER_QUARTER[account.subscriptionPeriod] * 100) / 100;
}

const QUARTER_MS = (365.2425 / 4) * 86_400_000;

/** The subscription's cost over a year in review: four quarters, or the share of the year so far. */
export function scaledCost(cost: number | null, period: PeriodRange, annual: boolean): number | null {
  if (cost === null || !annual) return cost;
  const quarters = Math.min(4, (period.end.getTime() - period.start.getTime()) / QUARTER_MS);
  return Math.round(cost * quarters * 100) / 100;
}

export async function loadDigestMetrics(deps: Pick<Deps, "db">, tenantId: string): Promise<DigestMetric[]> {
  return (await listMetrics(deps.db, tenantId)).map(metricFields);
}

/**
 * Peer groups already read in one batch of digests (the quarterly close), by tenant, segment,
 * period and metrics. Every account of a segment compares itself with the same group, and
 * reading it scans the whole segment's rollups: once per segment instead of once per account.
 */
export type PeerCache = Map<string, Promise<{ size: number; values: Map<string, number[]> }>>;

/**
 * The digest for one account and period: SQL aggregates in, pure digest out, chart attached. The
 * period is a calendar quarter, a trailing window (a milestone's) compared with the one before, or
 * a year.
 */
export async function computeDigest(
  deps: Pick<Deps, "db" | "sql">,
  input: {
    tenant: Tenant;
    account: Account;
    metrics: DigestMetric[];
    inline?: InlineMetric[];
    peerCache?: PeerCache;
  } & DigestPeriod,
): Promise<Digest> {
  const { account, metrics } = input;
  const { period, previous } = rangesOf(input, account.timeZone);
  const { aggregates, activity } = await accountAggregates(deps.sql, {
    accountId: account.id,
    metrics,
    period,
    previous,
  });

  const inline = input.inline ?? [];
  for (const metric of inline) {
    const definition = metrics.find((candidate) => candidate.key === metric.key);
    if (!definition) continue;
    const raw: RawAggregate = {
      current: metric.value / definition.multiplier,
      previous: metric.previousValue == null ? null : metric.previousValue / definition.multiplier,
      source: "inline",
    };
    aggregates.set(metric.key, raw);
  }
  const segment = account.segment;
  const readPeers = (segment: string) => {
    const key = [input.tenant.id, segment, period.start.toISOString(), period.end.toISOString()]
      .concat(metrics.map((metric) => `${metric.key}:${metric.event}:${metric.aggregation}`))
      .join("|");
    let read = input.peerCache?.get(key);
    if (!read) {
      read = peerValues(deps.sql, { tenantId: input.tenant.id, segment, metrics, period });
      input.peerCache?.set(key, read);
    }
    return read;
  };
  const peers = segment && account.consent.peerComparison ? { segment, ...(await readPeers(segment)) } : null;

  const digest = buildDigest({
    period: serialize(period),
    previousPeriod: serialize(previous),
    currency: account.currency ?? input.tenant.currency,
    metrics,
    aggregates,
    peers,
    peerComparison: account.consent.peerComparison,
    // A year's return counts four quarters of the subscription (or the quarters so far, pro rata);
    // a trailing window states none (the subscription cost is a quarter's figure).
    quarterlyCost: input.window ? null : scaledCost(quarterlyCost(account), period, input.year !== undefined),
    activity,
    // A backend that sends its own totals vouches for them: the activity gate reads events only.
    ...(inline.length > 0 ? { gate: { minEvents: 0, minActiveDays: 0 } } : {}),
  });
  if (digest.status !== "ok") return digest;
  const leadKey = leadMetricKey(digest);
  const lead = metrics.find((metric) => metric.key === leadKey);
  if (!lead || inline.some((metric) => metric.key === lead.key)) return digest;
  return { ...digest, chart: await chartFor(deps, account, lead, period, digest) };
}

async function chartFor(
  deps: Pick<Deps, "sql">,
  account: Account,
  metric: DigestMetric,
  period: PeriodRange,
  digest: Extract<Digest, { status: "ok" }>,
): Promise<ChartSeries> {
  const monthly = /^\d{4}$/.test(period.label);
  const rows = await weeklySeries(deps.sql, {
    accountId: account.id,
    metric,
    period,
    ...(monthly ? { granularity: "month" as const } : {}),
  });
  const byWeek = new Map(rows.map((row) => [row.week, row.raw]));
  if (monthly) return monthlyChart(metric, period, digest, (month) => byWeek.get(month) ?? 0);
  return weeklyChart(metric, period, digest, (week) => byWeek.get(week) ?? 0);
}
