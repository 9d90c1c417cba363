import type { SupportedLocale } from "../../src/i18n/locales.js";
import type { RenderInput } from "../../src/rendering/rendering.types.js";
import { periodChart } from "../period-chart.js";

/**
 * The chart as the PDF draws it, for every kind of recap: weekly bars for a quarter or a milestone
 * window, monthly bars for a year in review (only the months so far while it runs). The bars are
 * the cards' own (period-chart.ts): a partial week or a running month prorated by the one rule in
 * partial-weeks.ts and drawn faded as an estimate. Each month along the axis has its long name
 * ("heinäkuu") and its short one ("heinä"), both from Intl; the page takes the long one where it
 * fits under its month and the short one otherwise. They carry no number.
 */
export type PdfChartBar = { value: number; partial: boolean; best: boolean /** Width on the axis. */; days: number };
export type PdfChartMonth = { label: string; short: string /** Width on the axis, as the bars'. */; days: number };
export type PdfChartAxis = { monthly: boolean; bars: PdfChartBar[]; months: PdfChartMonth[] };

const DAY = 86_400_000;

export function pdfChartAxis(input: RenderInput, locale: SupportedLocale): PdfChartAxis | null {
  const drawn = periodChart(input);
  if (!drawn) return null;
  const long = new Intl.DateTimeFormat(locale, { month: "long", timeZone: "UTC" });
  const short = new Intl.DateTimeFormat(locale, { month: "short", timeZone: "UTC" });
  return {
    monthly: drawn.monthly,
    bars: drawn.bars.map(({ value, partial, best, days }) => ({ value, partial, best, days })),
    months: drawn.months.map((month) => {
      const date = new Date(month.start * DAY);
      return { label: long.format(date), short: short.format(date).replace(/\.$/, ""), days: month.days };
    }),
  };
}
