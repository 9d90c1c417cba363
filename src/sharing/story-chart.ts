import { chartOfPeriod } from "../../templates/period-chart.js";
import { formatValue } from "../i18n/format.js";
import type { SupportedLocale } from "../i18n/locales.js";
import type { ChartSeries, SerializedPeriod } from "../usage/digest.types.js";

export type StoryBar = { value: number; partial: boolean; best: boolean; monthLabel: string | null };
export type StoryChart = { bars: StoryBar[]; max: number; bestValue: string; bestWeek: string };

const DAY_MS = 86_400_000;

/**
 * The period's chart as the story draws it: the same bars as the cards and the PDF
 * (templates/period-chart.ts), so a visitor never sees a different week or month than the card
 * they came from. A week or month only partly inside the period is prorated by the one rule the
 * cards use, never above the best full one, and marked (drawn lighter); it never counts as the
 * best. The axis names each month once, in the page's language: under the first week that starts
 * in it, or under every month of a year by its initial (twelve fit a phone's width).
 */
export function storyChart(
  series: ChartSeries,
  period: SerializedPeriod,
  locale: SupportedLocale,
  currency: string,
): StoryChart | null {
  const chart = chartOfPeriod(series, period);
  const bestIndex = chart?.bars.findIndex((bar) => bar.best) ?? -1;
  const best = chart?.bars[bestIndex];
  if (!chart || !best || best.value <= 0) return null;
  const periodStart = chart.months[0]?.start ?? 0;
  const startOf = (index: number) => chart.starts[index] ?? periodStart;
  const dateOf = (day: number) => new Date(day * DAY_MS);
  const monthName = new Intl.DateTimeFormat(locale, {
    month: chart.monthly ? "narrow" : "short",
    timeZone: "UTC",
  });
  let lastMonth = "";
  const bars = chart.bars.map((bar, index) => {
    // A week is named by the month of its first day inside the period.
    const first = dateOf(Math.max(startOf(index), periodStart));
    const key = first.toISOString().slice(0, 7);
    const monthLabel = chart.monthly || key !== lastMonth ? monthName.format(first) : null;
    lastMonth = key;
    return { value: Math.max(0, bar.value), partial: bar.partial, best: bar.best, monthLabel };
  });
  const bestWeek = chart.monthly
    ? new Intl.DateTimeFormat(locale, { month: "long", timeZone: "UTC" }).format(dateOf(startOf(bestIndex)))
    : new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", timeZone: "UTC" }).format(
        dateOf(startOf(bestIndex)),
      );
  return {
    bars,
    max: Math.max(...bars.map((bar) => bar.value)),
    bestValue: formatValue(best.value, series.unit, locale, currency),
    bestWeek,
  };
}
