import type { RenderInput } from "../src/rendering/rendering.types.js";
import type { ChartSeries, SerializedPeriod } from "../src/usage/digest.types.js";
import { monthLength, prorateMonths, prorateWeeks, type WeekBar } from "./partial-weeks.js";

/**
 * The period's chart as numbers and days, before any design names a month: the bars (weeks of a
 * quarter or a milestone window, months of a year in review) with partial ones prorated by the one
 * rule in partial-weeks.ts, and the months along the axis. The cards (model.ts) and the PDF
 * (pdf/pdf-chart.ts) both draw this, so they can never disagree; each names the months in the
 * form its width takes.
 */
export type PeriodChart = {
  /** Months of a year in review rather than weeks. */
  monthly: boolean;
  /** Oldest first, only bars with days in the period; `days` is each bar's width on the axis. */
  bars: WeekBar[];
  /** Each bar's week's Monday or month's first day (epoch day), in the bars' order. */
  starts: number[];
  /** The axis: each month's first day (epoch day) and its width in days, matching the bars'. */
  months: { start: number; days: number }[];
};

const DAY = 86_400_000;

/** Days since the epoch of a "YYYY-MM-DD…" date: weeks and months are calendar days, not instants. */
function dayOf(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY;
}

/** The epoch day of an instant's local date in `timeZone`. */
function localDay(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
  return dayOf(parts.format(new Date(instant)));
}

/**
 * The period's first day and the day after its last, as local calendar days: a quarter from its
 * label; a year or a trailing window from its instants (a year to date ends on the day it was
 * computed). Without usable instants, the span of the chart's own points.
 */
function periodDays(period: SerializedPeriod, starts: number[], slot: number): [number, number] {
  const quarter = /^(\d{4})-Q([1-4])$/.exec(period.label);
  if (quarter) {
    const [year, q] = [Number(quarter[1]), Number(quarter[2])];
    return [Date.UTC(year, (q - 1) * 3, 1) / DAY, Date.UTC(year, q * 3, 1) / DAY];
  }
  const start = Date.parse(period.start);
  const end = Date.parse(period.end);
  const fallback: [number, number] = [starts[0] ?? 0, (starts.at(-1) ?? 0) + slot];
  if (Number.isNaN(start) || Number.isNaN(end) || end <= start) return fallback;
  let days: [number, number] = [localDay(start, period.timeZone), localDay(end - 1, period.timeZone) + 1];
  const year = /^(\d{4})$/.exec(period.label);
  if (year) {
    const bounds = [Date.UTC(Number(year[1]), 0, 1) / DAY, Date.UTC(Number(year[1]) + 1, 0, 1) / DAY];
    days = [Math.max(days[0], bounds[0]!), Math.min(days[1], bounds[1]!)];
  }
  return days[1] > days[0] ? days : fallback;
}

/** Each month the days `[first, end)` touch, with its days inside. */
function monthsOf([first, end]: [number, number]): PeriodChart["months"] {
  const out: PeriodChart["months"] = [];
  for (let day = first; day < end; ) {
    const date = new Date(day * DAY);
    const next = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) / DAY;
    out.push({ start: day, days: Math.min(next, end) - day });
    day = next;
  }
  return out;
}

export function periodChart(input: RenderInput): PeriodChart | null {
  return input.digest.chart ? chartOfPeriod(input.digest.chart, input.digest.period) : null;
}

/** The same chart from a digest's series and period: the share page's story draws it too. */
export function chartOfPeriod(series: ChartSeries, digestPeriod: SerializedPeriod): PeriodChart | null {
  if (series.points.length < 2) return null;
  const starts = series.points.map((point) => dayOf(point.start));
  if (starts.some(Number.isNaN)) return null;
  const points = series.points.map((point, index) => ({ start: starts[index]!, value: point.value }));
  if (series.granularity === "month") {
    const period = periodDays(digestPeriod, starts, monthLength(starts.at(-1)!));
    // Months after the period's end are never drawn, even when a series carries them (as zeros).
    const shown = points.filter((point) => point.start < period[1]);
    const months = prorateMonths(shown, period)
      // The running month keeps its whole slot, so its name fits under it; its paler bar and the
      // legend say it is an estimate.
      .map((bar, index) => ({
        bar: { ...bar, days: monthLength(shown[index]!.start) },
        start: shown[index]!.start,
      }))
      .filter((_, index) => shown[index]!.start + monthLength(shown[index]!.start) > period[0]);
    if (months.length < 2) return null;
    return {
      monthly: true,
      bars: months.map((month) => month.bar),
      starts: months.map((month) => month.start),
      months: months.map((month) => ({ start: month.start, days: month.bar.days })),
    };
  }
  const period = periodDays(digestPeriod, starts, 7);
  const weeks = prorateWeeks(points, period)
    .map((bar, index) => ({ bar, start: points[index]!.start }))
    .filter((week) => week.bar.days > 0);
  if (weeks.length < 2) return null;
  return {
    monthly: false,
    bars: weeks.map((week) => week.bar),
    starts: weeks.map((week) => week.start),
    months: monthsOf(period),
  };
}
