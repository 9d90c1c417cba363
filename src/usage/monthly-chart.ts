import { toDisplay } from "./digest.js";
import type { ChartSeries, Digest, DigestMetric } from "./digest.types.js";
import { type PeriodRange, zoneOffsetMs } from "./period.js";

/**
 * First days (YYYY-MM-01, local to the period's zone) of the months of a year in review: all
 * twelve once the year is over, the months so far (the running one included) while it runs.
 */
export function monthStarts(period: PeriodRange): string[] {
  const year = Number(period.label);
  const lastInstant = new Date(period.end.getTime() - 1);
  const last = new Date(lastInstant.getTime() + zoneOffsetMs(lastInstant, period.timeZone));
  const lastMonth = last.getUTCFullYear() > year ? 11 : last.getUTCMonth();
  const months: string[] = [];
  for (let month = 0; month <= lastMonth; month++) months.push(`${year}-${String(month + 1).padStart(2, "0")}-01`);
  return months;
}

/**
 * The lead metric month by month over the year, from the raw amount of each month (as
 * weekly-chart.ts does for the weeks of a quarter): the card draws twelve bars, or the months so far.
 */
export function monthlyChart(
  metric: DigestMetric,
  period: PeriodRange,
  digest: Extract<Digest, { status: "ok" }>,
  rawOfMonth: (month: string) => number,
): ChartSeries {
  const unit = digest.facts.find((fact) => fact.metricKey === metric.key)?.unit ?? "count";
  const points = monthStarts(period).map((month) => {
    const raw = rawOfMonth(month);
    // Monthly points share the headline's unit, so the chart and the number agree.
    const value =
      unit === "hours" && metric.unit === "minutes"
        ? Math.round(((raw * metric.multiplier) / 60) * 10) / 10
        : toDisplay(metric, raw).value;
    return { start: month, value };
  });
  return { metricKey: metric.key, unit, granularity: "month", points };
}
