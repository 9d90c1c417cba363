import { formatValue } from "../i18n/format.js";
import type { SupportedLocale } from "../i18n/locales.js";
import type { ChartSeries, SerializedPeriod } from "../usage/digest.types.js";

export type StoryBar = { value: number; partial: boolean; best: boolean; monthLabel: string | null };
export type StoryChart = { bars: StoryBar[]; max: number; bestValue: string; bestWeek: string };

const DAY_MS = 86_400_000;

/** The period's first and last day (YYYY-MM-DD) in its own time zone. */
function periodDays(period: SerializedPeriod): { first: string; end: string } {
  const day = new Intl.DateTimeFormat("en-CA", { timeZone: period.timeZone, dateStyle: "short" });
  return { first: day.format(new Date(period.start)), end: day.format(new Date(period.end)) };
}

/** How many of the seven days from `monday` (YYYY-MM-DD) fall inside [first, end). */
function daysInside(monday: string, first: string, end: string): number {
  const start = Date.parse(`${monday.slice(0, 10)}T00:00:00Z`);
  let inside = 0;
  for (let offset = 0; offset < 7; offset++) {
    const day = new Date(start + offset * DAY_MS).toISOString().slice(0, 10);
    if (day >= first && day < end) inside++;
  }
  return inside;
}

/**
 * The weekly series as the story draws it: a week only partly inside the quarter is marked (drawn
 * lighter) and never counts as the best week, so the chart does not seem to crash at its ends;
 * the axis names the month where a new one starts, in the page's language.
 */
export function storyChart(
  series: ChartSeries,
  period: SerializedPeriod,
  locale: SupportedLocale,
  currency: string,
): StoryChart | null {
  if (series.points.length < 2) return null;
  if (series.granularity === "month") return monthlyStoryChart(series, period, locale, currency);
  const { first, end } = periodDays(period);
  const month = new Intl.DateTimeFormat(locale, { month: "short", timeZone: "UTC" });
  const weekDay = new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", timeZone: "UTC" });
  let lastMonth = "";
  const bars = series.points.map((point) => {
    const monday = point.start.slice(0, 10);
    const inside = daysInside(monday, first, end);
    // The label goes under the first week that starts in a month (from the quarter's own days).
    const firstDay = monday < first ? first : monday;
    const key = firstDay.slice(0, 7);
    const monthLabel = key !== lastMonth ? month.format(new Date(`${key}-01T00:00:00Z`)) : null;
    lastMonth = key;
    return { value: Math.max(0, point.value), partial: inside < 7, best: false, monthLabel, monday };
  });
  const full = bars.filter((bar) => !bar.partial);
  const best = (full.length > 0 ? full : bars).reduce((top, bar) => (bar.value > top.value ? bar : top));
  if (best.value <= 0) return null;
  best.best = true;
  return {
    bars: bars.map(({ monday: _monday, ...bar }) => bar),
    max: Math.max(...bars.map((bar) => bar.value)),
    bestValue: formatValue(best.value, series.unit, locale, currency),
    bestWeek: weekDay.format(new Date(`${best.monday}T00:00:00Z`)),
  };
}

/**
 * The year in review's months as the story draws them: each bar named by its month's initial
 * (twelve fit a phone's width), the running month of a year to date marked partial (drawn
 * lighter, never the best), and the best month named in full for the chart's description.
 */
function monthlyStoryChart(
  series: ChartSeries,
  period: SerializedPeriod,
  locale: SupportedLocale,
  currency: string,
): StoryChart | null {
  const { end } = periodDays(period);
  const initial = new Intl.DateTimeFormat(locale, { month: "narrow", timeZone: "UTC" });
  const bars = series.points.map((point) => {
    const start = new Date(`${point.start.slice(0, 10)}T00:00:00Z`);
    const next = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
    return {
      value: Math.max(0, point.value),
      partial: next > end,
      best: false,
      monthLabel: initial.format(start),
      start,
    };
  });
  const full = bars.filter((bar) => !bar.partial);
  const best = (full.length > 0 ? full : bars).reduce((top, bar) => (bar.value > top.value ? bar : top));
  if (best.value <= 0) return null;
  best.best = true;
  return {
    bars: bars.map(({ start: _start, ...bar }) => bar),
    max: Math.max(...bars.map((bar) => bar.value)),
    bestValue: formatValue(best.value, series.unit, locale, currency),
    bestWeek: new Intl.DateTimeFormat(locale, { month: "long", timeZone: "UTC" }).format(best.start),
  };
}
