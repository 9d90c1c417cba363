import { toDisplay } from "./digest.js";
import type { ChartSeries, Digest, DigestMetric } from "./digest.types.js";
import { localDay, type PeriodRange, parseQuarter } from "./period.js";

/** Monday dates (YYYY-MM-DD, local to the period's zone) of every week the period touches. */
export function weekStarts(period: PeriodRange): string[] {
  const quarter = parseQuarter(period.label);
  // Any other period (a trailing window): from its first local day to its last.
  const first = quarter
    ? Date.UTC(quarter.year, (quarter.quarter - 1) * 3, 1)
    : Date.parse(localDay(period.start, period.timeZone));
  const end = quarter
    ? Date.UTC(quarter.year, (quarter.quarter - 1) * 3 + 3, 1)
    : Date.parse(localDay(new Date(period.end.getTime() - 1), period.timeZone)) + 86_400_000;
  const monday = first - ((new Date(first).getUTCDay() + 6) % 7) * 86_400_000;
  const weeks: string[] = [];
  for (let day = monday; day < end; day += 7 * 86_400_000) weeks.push(new Date(day).toISOString().slice(0, 10));
  return weeks;
}

/**
 * The lead metric's weekly series over the quarter, from the raw amount of each week (however it
 * was counted: SQL rollups in compute-digest.ts, a usage file's tally in digest-from-usage.ts).
 * Pure, so the service and the offline command draw the same chart from the same usage.
 */
export function weeklyChart(
  metric: DigestMetric,
  period: PeriodRange,
  digest: Extract<Digest, { status: "ok" }>,
  rawOfWeek: (week: string) => number,
): ChartSeries {
  const unit = digest.facts.find((fact) => fact.metricKey === metric.key)?.unit ?? "count";
  const points = weekStarts(period).map((week) => {
    const raw = rawOfWeek(week);
    const amount = raw * metric.multiplier;
    // Weekly points share the headline's unit, so the chart and the number agree.
    const value =
      unit === "hours" && metric.unit === "minutes"
        ? Math.round((amount / 60) * 10) / 10
        : toDisplay(metric, raw).value;
    return { start: week, value };
  });
  return { metricKey: metric.key, unit, granularity: "week", points };
}
